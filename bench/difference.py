"""Where two parsed documents first differ: shared by the conformance scripts that compare
paved's renders with the real tools' (bench/helm, bench/kustomize)."""
import json


def short(value):
    text = json.dumps(value, default=str)
    return text if len(text) < 60 else text[:57] + "..."


def first_difference(expected, actual, path=""):
    """The first path (`/a/0/b`) where `expected` and `actual` differ, or None."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in expected or key not in actual:
                return f"{path}/{key}: only in {'the reference' if key in expected else 'paved'}"
            found = first_difference(expected[key], actual[key], f"{path}/{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path or '/'}: {len(expected)} items vs {len(actual)}"
        for i, (x, y) in enumerate(zip(expected, actual)):
            found = first_difference(x, y, f"{path}/{i}")
            if found:
                return found
        return None
    if expected == actual and type(expected) is type(actual):
        return None
    return f"{path or '/'}: {short(expected)} vs {short(actual)}"
