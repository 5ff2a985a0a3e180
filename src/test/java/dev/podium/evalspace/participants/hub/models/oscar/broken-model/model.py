import sys


def predict(ids):
    print("loading the weights", file=sys.stderr)
    print("ValueError: the model has no classification head", file=sys.stderr)
    sys.exit(3)
