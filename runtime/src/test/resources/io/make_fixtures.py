"""Regenerates the interoperability fixtures next to this script, made by numpy and by the reference
safetensors implementation so that Lathe's readers and writers are checked against files they did not
write. Run from this directory with numpy 2.x and safetensors 0.8 installed:

    python3 make_fixtures.py

The expected values are repeated by hand in NumpyFixturesTest and SafetensorsFixtureTest; keep the two
in step when changing anything here. Every file is a few hundred bytes at most.
"""
import numpy as np
from safetensors.numpy import save_file

# Row-major float32: numpy's byte-exact header layout is compared with Npy.write.
np.save("f32_2x3.npy", (np.arange(6, dtype="<f4") * 0.5 - 1).reshape(2, 3))
# Column-major (fortran_order True): the reader must transpose to row-major.
np.save("f64_fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype="<f8").reshape(2, 3)))
# Big-endian int32.
np.save("i4_big_endian.npy", np.array([1, -2, 300000], dtype=">i4"))
# float16 edge values: one, the largest finite, negative zero, infinity.
np.save("f16_edges.npy", np.array([1.0, 65504.0, -0.0, np.inf], dtype="<f2"))
np.save("bool_3.npy", np.array([True, False, True]))
# A rank-0 array.
np.save("u8_scalar.npy", np.array(200, dtype=np.uint8))

arrays = {"a": np.arange(4, dtype="<i8"), "b/c": np.array([-128, 127], dtype="|i1")}
np.savez("arrays.npz", **arrays)
np.savez_compressed("arrays_compressed.npz", **arrays)

save_file(
    {
        "w": np.array([[1.5, -2.0], [0.25, 3.0]], dtype="<f4"),
        "h": np.array([1.0, -65504.0], dtype="<f2"),
        "n": np.array([7, -9, 1 << 40], dtype="<i8"),
        "m": np.array([True, False]),
    },
    "reference.safetensors",
    metadata={"format": "np"},
)
