"""Data tables shipped inside the package, and the scripts that generate them."""
