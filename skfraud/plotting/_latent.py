"""Scatter plots of the spaces a detector's network maps rows into."""

import numbers

import numpy as np
from sklearn.decomposition import PCA

from skfraud._docstrings import fill_texts
from skfraud._pipeline import transform_to_final_step
from skfraud.plotting._base import (
    DOC_TEXTS,
    as_finite_matrix,
    check_optional_labels,
    estimator_name,
    finish_plot,
    get_axes,
    scatter_by_class,
)

__all__ = ["GMMSpaceDisplay", "LatentSpaceDisplay"]


def latent_codes(estimator, X):
    """Latent codes of ``X`` from a detector (or a Pipeline ending in one).

    ``X`` goes through the Pipeline's earlier steps, if any, and then to the
    detector's public ``latent_codes`` method.
    """
    detector, X = transform_to_final_step(estimator, X)
    method = getattr(detector, "latent_codes", None)
    if not callable(method):
        hint = (
            " Use GMMSpaceDisplay for its mixture space."
            if hasattr(detector, "gmm_input")
            else ""
        )
        raise TypeError(
            "LatentSpaceDisplay needs a fitted skfraud detector with a latent "
            "space (a latent_codes(X) method: VAEDetector, AutoEncoderDetector, "
            "MemAEDetector, DAGMMDetector, DevNetDetector) or a Pipeline ending "
            f"in one; got {type(detector).__name__}.{hint}"
        )
    return method(X)


def _project_to_plane(latent):
    """``(embedding, axis_labels)``: the 2-d latent itself, or its first two
    principal components."""
    if latent.shape[1] < 2:
        raise ValueError(
            f"The latent space has {latent.shape[1]} dimension; a scatter needs at "
            "least 2. Fit the detector with latent_dim >= 2."
        )
    if latent.shape[1] == 2:
        return latent, ("Latent dimension 1", "Latent dimension 2")
    if latent.shape[0] < 2:
        raise ValueError(
            f"Projecting a {latent.shape[1]}-dimensional latent space onto its "
            "principal components needs at least 2 rows."
        )
    pca = PCA(n_components=2, svd_solver="full")
    embedding = pca.fit_transform(latent)
    labels = tuple(
        f"Latent PC{component + 1} ({share:.1%} of variance)"
        for component, share in enumerate(pca.explained_variance_ratio_)
    )
    return embedding, labels


@fill_texts(**DOC_TEXTS)
class LatentSpaceDisplay:
    """Scatter of rows in a detector's latent space, coloured by class.

    Each row is placed at the detector's ``latent_codes(X)``: for a
    :class:`~skfraud.VAEDetector` the mean of ``q(z | x)``; for an
    :class:`~skfraud.AutoEncoderDetector`, :class:`~skfraud.MemAEDetector`
    or :class:`~skfraud.DAGMMDetector` its encoder's code; for a
    :class:`~skfraud.DevNetDetector` the representation its scoring layer
    reads. A latent space of more than two dimensions is shown through its
    first two principal components. Create it with :meth:`from_estimator`.

    Parameters
    ----------
    embedding : ndarray of shape (n_samples, 2)
        Coordinates of the points.

    %(y_colours_ndarray)s

    latent : ndarray of shape (n_samples, latent_dim), default=None
        The full latent codes, before any projection.

    axis_labels : tuple of str, default=("Latent dimension 1", \
"Latent dimension 2")
        Labels of the x and y axes.

    %(name_title)s

    Attributes
    ----------
    scatter_ : list of matplotlib PathCollection
        One collection per class (normal, then fraud), or a single one
        without labels.

    ax_ : matplotlib Axes
        Axes holding the scatter.

    %(figure_attribute)s

    See Also
    --------
    GMMSpaceDisplay : The space in which DAGMM fits its mixture.

    Examples
    --------
    >>> import numpy as np
    >>> from skfraud import VAEDetector
    >>> from skfraud.plotting import LatentSpaceDisplay
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(0, 1, (100, 4))
    >>> y = (np.abs(X).max(axis=1) > 2).astype(int)
    >>> detector = VAEDetector(latent_dim=2, max_epochs=2, random_state=0).fit(X)
    >>> display = LatentSpaceDisplay.from_estimator(detector, X, y)
    >>> sum(len(points.get_offsets()) for points in display.scatter_)
    100
    """

    def __init__(
        self,
        *,
        embedding,
        y=None,
        latent=None,
        axis_labels=("Latent dimension 1", "Latent dimension 2"),
        name=None,
    ):
        self.embedding = embedding
        self.y = y
        self.latent = latent
        self.axis_labels = axis_labels
        self.name = name

    @fill_texts(**DOC_TEXTS)
    def plot(self, ax=None, *, name=None, **kwargs):
        """Draw the scatter.

        Parameters
        ----------
        %(plot_params)s

        **kwargs : dict
            Keyword arguments of ``matplotlib.axes.Axes.scatter``.

        Returns
        -------
        display : LatentSpaceDisplay
            This display, with the artists set.
        """
        embedding = as_finite_matrix(self.embedding, 2, "embedding")[:, :2]
        y = check_optional_labels(self.y, embedding.shape[0])
        ax, figure = get_axes(ax)
        self.scatter_ = scatter_by_class(ax, embedding, y, **kwargs)
        ax.set(xlabel=self.axis_labels[0], ylabel=self.axis_labels[1])
        return finish_plot(self, ax, figure, name, legend=y is not None)

    @classmethod
    @fill_texts(**DOC_TEXTS)
    def from_estimator(cls, estimator, X, y=None, *, name=None, ax=None, **kwargs):
        """Latent space of a fitted detector on ``X``, from its ``latent_codes``.

        Parameters
        ----------
        estimator : estimator instance
            Fitted :class:`~skfraud.VAEDetector`,
            :class:`~skfraud.AutoEncoderDetector`,
            :class:`~skfraud.MemAEDetector` or
            :class:`~skfraud.DevNetDetector`, or a fitted Pipeline ending in
            one (``X`` then goes through the earlier steps first).

        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows to place; sparse input is densified one batch at a time.

        %(latent_params)s

        **kwargs : dict
            Keyword arguments of ``matplotlib.axes.Axes.scatter``.

        Returns
        -------
        display : LatentSpaceDisplay

        Raises
        ------
        TypeError
            If the estimator has no ``latent_codes`` method.
        ValueError
            If the latent space has a single dimension, or ``X`` is invalid.
        """
        latent = latent_codes(estimator, X)
        y = check_optional_labels(y, latent.shape[0])
        embedding, axis_labels = _project_to_plane(latent)
        display = cls(
            embedding=embedding,
            y=y,
            latent=latent,
            axis_labels=axis_labels,
            name=estimator_name(estimator) if name is None else name,
        )
        return display.plot(ax, **kwargs)


def _check_columns(columns, n_columns):
    if columns is None:
        # The first code dimension and the two reconstruction features, which
        # DAGMM always places last.
        return [0, n_columns - 2, n_columns - 1]
    if isinstance(columns, str | bytes) or len(columns) != 3:
        raise ValueError(f"columns must list 3 column indices; got {columns!r}.")
    checked = []
    for column in columns:
        if not isinstance(column, numbers.Integral) or isinstance(column, bool):
            raise TypeError(f"columns must hold integers; got {column!r}.")
        if not -n_columns <= column < n_columns:
            raise ValueError(
                f"Column {column} is out of range for a mixture input space of "
                f"{n_columns} columns."
            )
        checked.append(int(column) % n_columns)
    if len(set(checked)) != 3:
        raise ValueError(f"columns must be 3 different columns; got {columns!r}.")
    return checked


def _gmm_column_labels(n_columns):
    n_code = n_columns - 2
    code = ["z_c"] if n_code == 1 else [f"z_c[{j + 1}]" for j in range(n_code)]
    return [*code, "Relative Euclidean distance", "Cosine similarity"]


@fill_texts(**DOC_TEXTS)
class GMMSpaceDisplay:
    """3-d scatter of rows in the space where DAGMM fits its Gaussian mixture.

    :class:`~skfraud.DAGMMDetector` models ``[z_c, relative Euclidean
    distance, cosine similarity]``: a row's code followed by how (and how
    badly) it was reconstructed. This display places each row there, coloured
    by class, with the fitted mixture's component means. Create it with
    :meth:`from_estimator`.

    Parameters
    ----------
    coordinates : ndarray of shape (n_samples, 3)
        Coordinates of the points.

    %(y_colours_ndarray)s

    means : ndarray of shape (n_components, 3), default=None
        Mixture component means in the same coordinates, marked when given.

    axis_labels : tuple of str, default=("z_c", "Relative Euclidean distance", \
"Cosine similarity")
        Labels of the x, y and z axes.

    %(name_title)s

    Attributes
    ----------
    scatter_ : list of mpl_toolkits.mplot3d Path3DCollection
        One collection per class (normal, then fraud), or a single one
        without labels.

    means_scatter_ : mpl_toolkits.mplot3d Path3DCollection or None
        The component means, or None when they are not drawn.

    ax_ : mpl_toolkits.mplot3d Axes3D
        Axes holding the scatter.

    %(figure_attribute)s

    See Also
    --------
    LatentSpaceDisplay : The latent space of an autoencoder or a VAE.

    Examples
    --------
    >>> import numpy as np
    >>> from skfraud import DAGMMDetector
    >>> from skfraud.plotting import GMMSpaceDisplay
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(0, 1, (100, 4))
    >>> detector = DAGMMDetector(max_epochs=2, random_state=0).fit(X)
    >>> display = GMMSpaceDisplay.from_estimator(detector, X)
    >>> display.ax_.get_zlabel()
    'Cosine similarity'
    """

    def __init__(
        self,
        *,
        coordinates,
        y=None,
        means=None,
        axis_labels=("z_c", "Relative Euclidean distance", "Cosine similarity"),
        name=None,
    ):
        self.coordinates = coordinates
        self.y = y
        self.means = means
        self.axis_labels = axis_labels
        self.name = name

    @fill_texts(**DOC_TEXTS)
    def plot(self, ax=None, *, name=None, plot_means=True, **kwargs):
        """Draw the scatter.

        Parameters
        ----------
        ax : mpl_toolkits.mplot3d Axes3D, default=None
            3-d axes to draw on (``fig.add_subplot(projection="3d")``); a new
            figure is created when None.

        %(name_override)s

        plot_means : bool, default=True
            Mark the mixture's component means, when known.

        **kwargs : dict
            Keyword arguments of the points' ``scatter``.

        Returns
        -------
        display : GMMSpaceDisplay
            This display, with the artists set.
        """
        coordinates = as_finite_matrix(self.coordinates, 3, "coordinates")[:, :3]
        y = check_optional_labels(self.y, coordinates.shape[0])
        ax, figure = get_axes(ax, three_d=True)
        self.scatter_ = scatter_by_class(ax, coordinates, y, **kwargs)
        self.means_scatter_ = None
        if plot_means and self.means is not None:
            means = as_finite_matrix(self.means, 3, "means")[:, :3]
            self.means_scatter_ = ax.scatter(
                means[:, 0],
                means[:, 1],
                means[:, 2],
                marker="X",
                s=80,
                color="black",
                zorder=5,
                label="Mixture means",
            )
        ax.set_xlabel(self.axis_labels[0])
        ax.set_ylabel(self.axis_labels[1])
        ax.set_zlabel(self.axis_labels[2])
        return finish_plot(
            self,
            ax,
            figure,
            name,
            legend=y is not None or self.means_scatter_ is not None,
        )

    @classmethod
    @fill_texts(**DOC_TEXTS)
    def from_estimator(
        cls,
        estimator,
        X,
        y=None,
        *,
        columns=None,
        name=None,
        ax=None,
        plot_means=True,
        **kwargs,
    ):
        """Mixture input space of a fitted DAGMM detector on ``X``.

        Parameters
        ----------
        estimator : estimator instance
            Fitted :class:`~skfraud.DAGMMDetector` (or any estimator with a
            ``gmm_input(X)`` method returning ``[z_c, relative distance,
            cosine similarity]`` per row), or a fitted Pipeline ending in one.

        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows to place.

        %(y_colours)s

        columns : sequence of 3 int, default=None
            Columns of the mixture input to show. The default is the first
            code dimension and the two reconstruction features (the whole
            space when the code has one dimension, DAGMM's default).

        %(name_default)s

        ax : mpl_toolkits.mplot3d Axes3D, default=None
            3-d axes to draw on; a new figure is created when None.

        plot_means : bool, default=True
            Mark the mixture's component means (the detector's ``means_``).

        **kwargs : dict
            Keyword arguments of the points' ``scatter``.

        Returns
        -------
        display : GMMSpaceDisplay

        Raises
        ------
        TypeError
            If the estimator has no ``gmm_input`` method.
        """
        detector, X = transform_to_final_step(estimator, X)
        gmm_input = getattr(detector, "gmm_input", None)
        if not callable(gmm_input):
            raise TypeError(
                "GMMSpaceDisplay needs a fitted DAGMMDetector, or an estimator "
                "with a gmm_input(X) method, or a Pipeline ending in one; "
                f"{type(detector).__name__} has no gmm_input method."
            )
        z = as_finite_matrix(gmm_input(X), 3, "gmm_input(X)")
        y = check_optional_labels(y, z.shape[0])
        columns = _check_columns(columns, z.shape[1])
        labels = _gmm_column_labels(z.shape[1])
        means = getattr(detector, "means_", None)
        if means is not None:
            means = np.asarray(means, dtype=np.float64)
            means = (
                means[:, columns]
                if means.ndim == 2 and means.shape[1] == z.shape[1]
                else None
            )
        display = cls(
            coordinates=z[:, columns],
            y=y,
            means=means,
            axis_labels=tuple(labels[column] for column in columns),
            name=estimator_name(estimator) if name is None else name,
        )
        return display.plot(ax, plot_means=plot_means, **kwargs)
