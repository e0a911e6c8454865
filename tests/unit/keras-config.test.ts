import { describe, expect, it } from 'vitest';
import { configLayers, normalizeKerasConfig, translateKeras3Config, type Json } from '../../src/sources/models/kerasConfig';

describe('Keras config repairs', () => {
  it('drops regularizers, resets initializers tfjs cannot build, and renames Functional', () => {
    const raw = {
      class_name: 'Functional',
      config: {
        layers: [
          { class_name: 'Conv2D', config: { name: 'c', kernel_regularizer: { class_name: 'L2', config: { l2: 1e-4 } }, kernel_initializer: { class_name: 'function', config: {} }, bias_initializer: { class_name: 'Zeros', config: {} } } },
        ],
      },
    };
    expect(normalizeKerasConfig(raw as unknown as Json)).toEqual({
      class_name: 'Model',
      config: { layers: [{ class_name: 'Conv2D', config: { name: 'c', kernel_regularizer: null, kernel_initializer: { class_name: 'Ones', config: {} }, bias_initializer: { class_name: 'Zeros', config: {} } } }] },
    });
  });

  it('translates Keras 3: DTypePolicy, batch_shape, module/registered_name, functional inbound nodes', () => {
    const k3 = {
      module: 'keras', class_name: 'Functional', registered_name: 'Functional',
      config: {
        name: 'f', dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } },
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 8, 8, 1], dtype: 'float32', name: 'in' }, name: 'in', inbound_nodes: [] },
          { module: 'keras.layers', class_name: 'Conv2D', config: { name: 'conv', dtype: { class_name: 'DTypePolicy', config: { name: 'float32' } } }, name: 'conv', build_config: { input_shape: [null, 8, 8, 1] },
            inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 8, 8, 1], dtype: 'float32', keras_history: ['in', 0, 0] } }], kwargs: {} }] },
        ],
        input_layers: ['in', 0, 0],
        output_layers: ['conv', 0, 0],
      },
    };
    const out = translateKeras3Config(k3 as unknown as Json) as { class_name: string; config: { dtype: string; input_layers: unknown; layers: { config: Record<string, unknown>; inbound_nodes: unknown }[] } };
    expect(out.class_name).toBe('Model');
    expect(out.config.dtype).toBe('float32');
    expect(out.config.input_layers).toEqual([['in', 0, 0]]);
    expect(out.config.layers[0].config.batch_input_shape).toEqual([null, 8, 8, 1]);
    expect(out.config.layers[1].inbound_nodes).toEqual([[['in', 0, 0, {}]]]);
    expect(JSON.stringify(out)).not.toMatch(/module|registered_name|build_config|DTypePolicy/);
    expect(configLayers(out as unknown as Json)).toEqual([['in', 'InputLayer'], ['conv', 'Conv2D']]);
  });
});
