import sys

from skfraud.cli import main

sys.exit(main())
