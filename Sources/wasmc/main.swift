print("wasmc")
