"""Content generation studio: copy, image, voice and video providers behind one protocol (base, studio)."""
