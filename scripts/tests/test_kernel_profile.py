"""The notebook kernels' dependency profile (scripts/evcxr/config.toml, over the manifest evcxr
writes, scripts/evcxr/Cargo.toml.head) and the workspace's (Cargo.toml) must be the same: the
test command's tests build into a kernel's build directory so that one build of polars serves
both, and any difference in a profile setting makes cargo compile every dependency twice."""
import os
import tomllib
import unittest

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return tomllib.load(f)


class KernelProfile(unittest.TestCase):
    def test_dependencies_build_alike(self):
        workspace = read("Cargo.toml")["profile"]["dev"]
        kernel = read("scripts/evcxr/config.toml")["profile"]["dev"]
        self.assertEqual(workspace["package"]["*"], kernel["package"]["*"])

    def test_profile_wide_settings_alike(self):
        # Settings a package override cannot make: they come from each root's profile.
        workspace = read("Cargo.toml")["profile"]["dev"]
        with open(os.path.join(ROOT, "scripts/evcxr/Cargo.toml.head"), "rb") as f:
            evcxr = tomllib.loads(f.read().decode())["profile"]["dev"]
        for setting, default in (
            ("rpath", False), ("lto", False), ("panic", "unwind"), ("codegen-units", 256),
        ):
            self.assertEqual(workspace.get(setting, default), evcxr.get(setting, default), setting)


if __name__ == "__main__":
    unittest.main()
