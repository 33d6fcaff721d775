"""Mastering: profiles (data), ffmpeg location, and master(clips, profile) -> Programme."""
