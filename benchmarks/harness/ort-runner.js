// Times a model in ONNX Runtime (2 intra-op threads, all graph
// optimizations): its first input from INPUT.raw (float32, SHAPE like
// 1x3x224x224), one warm-up run, then RUNS runs; prints each run's
// milliseconds on one line and writes the first output to OUTPUT.raw.
// Usage: node ort-runner.js MODEL.onnx SHAPE INPUT.raw RUNS OUTPUT.raw
const fs = require('fs');
const ort = require('onnxruntime-node');

(async () => {
  const [model, shapeText, inputPath, runsText, outputPath] =
      process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const shape = shapeText.split('x').map(Number);
  const bytes = fs.readFileSync(inputPath);
  const data = new Float32Array(bytes.buffer, bytes.byteOffset,
                                bytes.length / 4);
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, shape)};
  let result = await session.run(feeds);
  const times = [];
  for (let i = 0; i < Number(runsText); ++i) {
    const start = process.hrtime.bigint();
    result = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(times.map((t) => t.toFixed(4)).join(' '));
  const output = result[session.outputNames[0]].data;
  fs.writeFileSync(outputPath, Buffer.from(output.buffer, output.byteOffset,
                                           output.byteLength));
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
