def log = new File(basedir, 'build.log').text
def runs = log.split('=== lathe-it run ')
assert runs.length == 3 : "expected three runs in build.log"

assert runs[0].contains('Lathe: 3 model files, 3 compiled, 0 up to date (1 library of blocks)')
assert new File(basedir, 'target/classes/apps/Net.class').isFile()

// Run 2: nothing changed, so nothing was compiled or written.
assert runs[1].contains('Lathe: 3 model files, 0 compiled, 3 up to date')
assert !runs[1].contains('Compiling src/main/models')

// Run 3: the library changed; its importer is compiled again, other.model is not.
assert runs[2].contains('Compiling src/main/models/apps/net.model')
assert runs[2].contains('Compiling src/main/models/blocks/scale.model')
assert !runs[2].contains('Compiling src/main/models/other.model')
assert runs[2].contains('2 compiled, 1 up to date')

long old = 978307200000L
def outputs = { String name ->
    def files = []
    ['target/generated-sources/lathe', 'target/generated-resources/lathe', 'target/classes/META-INF/lathe'].each { dir ->
        new File(basedir, dir).eachFileRecurse { f -> if (f.isFile() && f.name.startsWith(name + '.')) files << f }
    }
    files
}
def other = outputs('Other')
assert other.size() == 7 : other
other.each { f -> assert f.lastModified() == old : "$f was written again" }
// net.model was compiled again in run 3: its facade has the same text and was left alone, its code changed.
assert new File(basedir, 'target/generated-sources/lathe/apps/Net.java').lastModified() == old
assert outputs('Net').any { f -> f.lastModified() != old } : 'a changed import must change the compiled model'
