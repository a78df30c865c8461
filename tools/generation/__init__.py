"""Content generation studio: copy, images, voice-over and video providers behind one protocol (see base.py, studio.py)."""
