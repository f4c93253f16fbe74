def log = new File(basedir, 'build.log').text
assert log.contains('Skipping Lathe compile: lathe.skip is set')
assert log.contains('Lathe: 1 model file, 1 compiled, 0 up to date')

def facade = new File(basedir, 'target/generated-sources/lathe/org/example/models/TinyMlp.java')
assert facade.isFile()
assert facade.text.contains('package org.example.models;')
assert facade.text.contains('public float[][] run(float[][] x)')
assert facade.text.contains('Three class scores for a batch of four features.')
assert new File(basedir, 'target/classes/org/example/models/TinyMlp.class').isFile()
for (ext in ['lathe', 'class', 'safetensors']) {
    assert new File(basedir, "target/generated-resources/lathe/META-INF/lathe/org/example/models/TinyMlp.$ext").isFile()
    assert new File(basedir, "target/classes/META-INF/lathe/org/example/models/TinyMlp.$ext").isFile()
}
assert !new File(basedir, 'target/generated-sources/lathe/org/example/models/drafts').exists()
