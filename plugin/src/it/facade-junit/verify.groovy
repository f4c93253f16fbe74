import java.util.zip.ZipFile

def report = new File(basedir, 'target/surefire-reports/TEST-com.example.AppTest.xml')
assert report.isFile()
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.text() == '3'
assert suite.@failures.text() == '0'
assert suite.@errors.text() == '0'

assert new File(basedir, 'target/generated-test-sources/lathe/com/example/Check.java').isFile()
assert new File(basedir, 'target/test-classes/META-INF/lathe/com/example/Check.lathe').isFile()
assert !new File(basedir, 'target/classes/META-INF/lathe/com/example/Check.lathe').exists()

def jar = new ZipFile(new File(basedir, 'target/facade-junit-1.0.jar'))
try {
    for (name in ['com/example/App.class', 'com/example/Scorer.class', 'META-INF/lathe/com/example/Scorer.class',
                  'META-INF/lathe/com/example/Scorer.lathe', 'META-INF/lathe/com/example/Scorer.safetensors']) {
        assert jar.getEntry(name) != null : name
    }
    assert jar.getEntry('META-INF/lathe/com/example/Check.lathe') == null
} finally {
    jar.close()
}
