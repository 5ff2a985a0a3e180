def predict(ids):
    print("done, without predictions")
    return None
