"""Reproducibility: content hashes and run manifests that rerun a step and compare bit for bit."""

from analysis.reproducibility.hashing import file_sha256, frame_sha256, params_sha256, text_sha256
from analysis.reproducibility.manifest import environment, record, verify_manifest, write_manifest

__all__ = ["environment", "file_sha256", "frame_sha256", "params_sha256", "record", "text_sha256",
           "verify_manifest", "write_manifest"]
