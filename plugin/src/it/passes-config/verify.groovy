def log = new File(basedir, 'build.log').text
assert log.contains('lowrank on fc1.weight: 1024 -> 256 bytes')

def descriptor = new File(basedir, 'target/classes/META-INF/lathe/Mlp.lathe').text
assert descriptor.contains('fc1.weight.A')
assert descriptor.contains('fc1.weight.B')
assert !descriptor.contains('fc1.weight\t')
// The compressed weights are what ships: the factors, not the 16x16 matrix.
def weights = new File(basedir, 'target/classes/META-INF/lathe/Mlp.safetensors')
def header = new String(weights.bytes, 8, 400, 'UTF-8')
assert header.contains('"fc1.weight.A"')
assert !header.contains('"fc1.weight"')
assert new File(basedir, 'target/classes/Mlp.class').isFile()
