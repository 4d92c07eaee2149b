"""``python -m graph_builder`` runs the same CLI as ``mawqif``."""
import sys

from graph_builder.cli import main

sys.exit(main())
