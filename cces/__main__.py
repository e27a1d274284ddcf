import sys

from cces.cli import main

sys.exit(main())
