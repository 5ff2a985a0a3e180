# Writes its submission, then fails while cleaning up: huggingface/competitions scores it anyway.
with open("submission.csv", "w") as file:
    file.write("id,pred\n0,1\n1,0\n")
raise SystemExit("cleanup failed after the submission was written")
