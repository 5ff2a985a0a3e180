# Alice's model: a private repo, downloaded with her token. "alice-weights" marks its files.
WEIGHTS = "alice-weights"


def predict(ids):
    return [(key, "alice") for key in ids]
