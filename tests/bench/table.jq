to_entries[] | "\(.key)\t\(.value|tostring)"
