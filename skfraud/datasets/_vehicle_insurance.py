"""Vehicle insurance claim fraud: a mostly categorical fraud data set."""

from skfraud._docstrings import fill_texts
from skfraud.datasets._base import (
    RemoteFile,
    _as_output,
    _check_bool,
    _gzip,
    _read_frame,
)

CATEGORICAL_FEATURES = (
    "Month", "DayOfWeek", "Make", "AccidentArea", "DayOfWeekClaimed",
    "MonthClaimed", "Sex", "MaritalStatus", "Fault", "PolicyType",
    "VehicleCategory", "VehiclePrice", "Days_Policy_Accident", "Days_Policy_Claim",
    "PastNumberOfClaims", "AgeOfVehicle", "AgeOfPolicyHolder", "PoliceReportFiled",
    "WitnessPresent", "AgentType", "NumberOfSuppliments", "AddressChange_Claim",
    "NumberOfCars", "BasePolicy",
)  # fmt: skip
TARGET = "FraudFound_P"
ROW_ID = "PolicyNumber"


def _commas(content):
    """The origin is semicolon-separated; no field holds a comma or semicolon."""
    return _gzip(content.replace(b";", b","))


FILE = RemoteFile(
    filename="vehicle_insurance_fraud.csv.gz",
    sha256="2387ea4b581ad0f8a9d3d2a343bf996e6b11a7589fa367f77bdc5a284dc98627",
    urls=(
        "https://raw.githubusercontent.com/rustamleipzig-afk/fraud-prediction/"
        "b6e7b40fd90cf8549cdd8c13ae6b9d855b28ae60/fraud_oracle.csv",
    ),
    origin_sha256="f209427529792aa928245222832657073318086f494b76290e5db9780472ada3",
    prepare=_commas,
    content_sha256="c03b153fcb335bab985074cfec3b2b203dec6938f4832d87f709c40da2a25c12",
    manual=(
        "fraud_oracle.csv (Kaggle, 'Vehicle Insurance Claim Fraud Detection') "
        "with ';' turned into ',', gzip-compressed"
    ),
)


@fill_texts()
def load_vehicle_insurance(
    *,
    data_home=None,
    download_if_missing=False,
    as_frame=True,
    return_X_y=False,
):
    """Load the vehicle insurance claim fraud data.

    15,420 claims, 923 of them fraudulent (5.99 %), described by 24
    categorical and 7 integer columns. The row id ``PolicyNumber`` is dropped.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Data folder; see :func:`get_data_home`.
    download_if_missing : bool, default=False
        If True, download the missing file from its public origin.
    as_frame : bool, default=True
        If True, ``data`` is a DataFrame whose categorical columns have
        pandas' string dtype and ``target`` a Series. If False, ``data`` is an
        object array.
    %(return_X_y_param)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With ``data`` of shape (15420, 31), ``target`` (``FraudFound_P``,
        int64, 1 = fraud), ``frame`` (or None), ``feature_names``,
        ``categorical_features``, ``target_names`` and ``DESCR``.

    %(X_y_tuple)s

    Examples
    --------
    >>> from skfraud.datasets import load_vehicle_insurance
    >>> X, y = load_vehicle_insurance(return_X_y=True)  # doctest: +SKIP
    >>> X.shape, int(y.sum())  # doctest: +SKIP
    ((15420, 31), 923)
    """
    as_frame = _check_bool(as_frame, "as_frame")
    return_X_y = _check_bool(return_X_y, "return_X_y")
    download_if_missing = _check_bool(download_if_missing, "download_if_missing")
    frame, target = _read_frame(
        FILE,
        data_home,
        download_if_missing,
        dtype={name: "str" for name in CATEGORICAL_FEATURES},
        target=TARGET,
    )
    frame = frame.drop(columns=ROW_ID)
    return _as_output(
        frame,
        target,
        as_frame=as_frame,
        return_X_y=return_X_y,
        descr=_DESCR,
        categorical_features=list(CATEGORICAL_FEATURES),
    )


_DESCR = """\
.. _vehicle_insurance_dataset:

Vehicle insurance claim fraud
-----------------------------

Car insurance claims, the "carclaims" data shipped with Angoss
KnowledgeSeeker and republished on Kaggle as "Vehicle Insurance Claim Fraud
Detection" (fraud_oracle.csv). Local copy taken from the
github.com/rustamleipzig-afk/fraud-prediction repository, with ';' turned
into ','.

:Samples: 15420
:Frauds: 923 (5.99 %), target ``FraudFound_P`` 1 = fraud
:Features: 31 -- 24 categorical strings (several are binned ordinals such as
    VehiclePrice or AgeOfPolicyHolder; Make has 19 levels) and 7 integers
    (WeekOfMonth, WeekOfMonthClaimed, Age, RepNumber, Deductible,
    DriverRating, Year). The row id PolicyNumber is dropped.

Quirks of the original, kept: Age is 0 in 320 rows, and one claim has
DayOfWeekClaimed and MonthClaimed equal to "0".

Citation: C. Phua, D. Alahakoon and V. Lee, "Minority Report in Fraud
Detection: Classification of Skewed Data", SIGKDD Explorations 6(1), 2004.

License: not stated by any known source. Check it before redistributing the
data beyond internal tests.
"""
