"""Reader notebooks: per framework, clean notebooks readers download or open in
Colab (`polybook build notebooks`); see build.py."""
