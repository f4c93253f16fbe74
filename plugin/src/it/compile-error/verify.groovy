def log = new File(basedir, 'build.log').text.replace('\\', '/')
assert log.contains('src/main/models/bad.model:[6,10] E0301: shape mismatch in add: f32[B, 4] vs f32[B, 3]')
assert log =~ /\[ERROR\] \S*src\/main\/models\/bad\.model:\[6,10\]/
assert log.contains('Lathe: 1 model did not compile (1 error above): src/main/models/bad.model')
assert log.contains('BUILD FAILURE')
assert !log.contains('\tat dev.lathe') : 'a user error prints no stack trace'
assert !new File(basedir, 'target/generated-sources/lathe/Bad.java').exists()
