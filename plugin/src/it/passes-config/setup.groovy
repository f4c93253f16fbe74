import dev.lathe.maven.ItSupport

ItSupport.weights(new File(basedir, 'src/main/models/mlp.safetensors'),
        'fc1.weight=16x16', 'fc1.bias=16', 'fc2.weight=4x16', 'fc2.bias=4')
