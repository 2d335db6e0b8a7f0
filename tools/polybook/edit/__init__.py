"""`polybook edit`: a page as a notebook for Jupyter, and its changes written back."""
