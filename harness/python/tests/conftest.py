import sys
from pathlib import Path

# The tests' helpers module, importable without making tests/ a package.
sys.path.insert(0, str(Path(__file__).parent))
