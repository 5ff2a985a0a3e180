def score(text):
    return 0 if "not" in text.split() else 1
