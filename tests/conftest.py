import sys
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

# Gradient checks run a forward pass per perturbed entry: generous deadline, bounded count.
settings.register_profile("course", max_examples=30, deadline=None, derandomize=True)
settings.load_profile("course")
