import dev.lathe.maven.ItSupport

ItSupport.weights(new File(basedir, 'src/main/models/tiny_mlp.safetensors'),
        'fc1.weight=8x4', 'fc1.bias=8', 'fc2.weight=3x8', 'fc2.bias=3')
