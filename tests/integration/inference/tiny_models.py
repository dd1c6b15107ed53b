"""The arithmetic of the tiny v2 test models, shared by the KServe and the
Triton test servers so both answer the same (numpy and Pillow only)."""

import io

import numpy as np
from PIL import Image

WEIGHTS = np.array(
    [[1.0, 0.0, 0.0, 1.0], [0.0, 2.0, 0.0, 1.0], [0.0, 0.0, 3.0, 1.0]],
    dtype=np.float32,
)
BIAS = np.array([0.5, 0.0, 0.0, 0.0], dtype=np.float32)
COLORS = ["red", "green", "blue"]


def linear_scores(x):
    """``linear``: [N, 3] times a fixed 3x4 matrix plus a bias."""
    return (np.asarray(x, dtype=np.float32) @ WEIGHTS + BIAS).astype(np.float32)


def mean_rgb(encoded):
    """Mean R, G, B of an encoded image (PNG, JPEG...); Pillow raises on bad data."""
    image = Image.open(io.BytesIO(bytes(encoded))).convert("RGB")
    return np.asarray(image, dtype=np.float32).reshape(-1, 3).mean(axis=0)


def color_probabilities(encoded):
    """``color``: [1, 3] shares of R, G, B, and the name of the largest."""
    means = mean_rgb(encoded)
    probs = (means / max(float(means.sum()), 1.0)).reshape(1, 3).astype(np.float32)
    return probs, COLORS[int(probs.argmax())]


def seed004_scores(encoded):
    """``seed004``: [1, 1000] one-hot on the colour bucket (R//32)*64 + (G//32)*8 + B//32."""
    red, green, blue = (int(v) // 32 for v in mean_rgb(encoded))
    scores = np.zeros((1, 1000), dtype=np.float32)
    scores[0, red * 64 + green * 8 + blue] = 1.0
    return scores
