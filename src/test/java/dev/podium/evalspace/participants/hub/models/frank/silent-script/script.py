print("nothing to submit today")
