import sys

from polybook.cli import main

sys.exit(main())
