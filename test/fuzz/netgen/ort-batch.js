// Runs many models in ONNX Runtime for the network fuzzer: each line of
// LIST is "MODEL.onnx INPUT.raw SHAPE OUTPUT.raw" (float32, SHAPE like
// 2x3x7x7); the first output goes to OUTPUT.raw and its dimensions to
// OUTPUT.raw.dims (one line, 'x'-separated). A model ONNX Runtime refuses
// gets OUTPUT.raw.error with the message instead; the runner goes on.
// Usage: node ort-batch.js LIST
const fs = require('fs');
const ort = require('onnxruntime-node');

(async () => {
  const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n');
  for (const line of lines) {
    if (!line.trim()) continue;
    const [model, inputPath, shapeText, outputPath] = line.trim().split(' ');
    try {
      const session = await ort.InferenceSession.create(model, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'disabled',
      });
      const bytes = fs.readFileSync(inputPath);
      const data = new Float32Array(bytes.buffer.slice(
          bytes.byteOffset, bytes.byteOffset + bytes.length));
      const shape = shapeText.split('x').map(Number);
      const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, shape)};
      const result = await session.run(feeds);
      const output = result[session.outputNames[0]];
      fs.writeFileSync(outputPath, Buffer.from(output.data.buffer,
          output.data.byteOffset, output.data.byteLength));
      fs.writeFileSync(outputPath + '.dims', output.dims.join('x') + '\n');
    } catch (error) {
      fs.writeFileSync(outputPath + '.error', String(error.message) + '\n');
    }
  }
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
