// Scores an image classifier on the Fashion-MNIST test set in ONNX Runtime:
// the images as float32 [N, 1, 28, 28] pixels in [0, 1] (what `cnnc train`
// exports take), in batches of BATCH (the model's batch dimension must be
// symbolic or BATCH); prints "accuracy PERCENT (CORRECT of N)".
// Usage: node ort-score.js MODEL.onnx DATA_DIR [BATCH] [LIMIT]
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const ort = require('onnxruntime-node');

function readIdx(file) {
  let bytes = fs.readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = zlib.gunzipSync(bytes);
  const rank = bytes[3];
  const dims = [];
  for (let i = 0; i < rank; ++i) dims.push(bytes.readUInt32BE(4 + 4 * i));
  return {dims, data: bytes.subarray(4 + 4 * rank)};
}

(async () => {
  const [model, dir, batchText, limitText] = process.argv.slice(2);
  const batch = Number(batchText || 100);
  const images = readIdx(path.join(dir, 't10k-images-idx3-ubyte.gz'));
  const labels = readIdx(path.join(dir, 't10k-labels-idx1-ubyte.gz'));
  let count = images.dims[0];
  if (limitText) count = Math.min(count, Number(limitText));
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const pixels = 28 * 28;
  let correct = 0;
  for (let first = 0; first < count; first += batch) {
    const n = Math.min(batch, count - first);
    // A short last batch is padded when the batch is fixed.
    const data = new Float32Array(batch * pixels);
    for (let i = 0; i < n * pixels; ++i)
      data[i] = images.data[first * pixels + i] / 255;
    const feeds = {[session.inputNames[0]]:
                       new ort.Tensor('float32', data, [batch, 1, 28, 28])};
    const logits = (await session.run(feeds))[session.outputNames[0]].data;
    const classes = logits.length / batch;
    for (let i = 0; i < n; ++i) {
      let best = 0;
      for (let c = 1; c < classes; ++c)
        if (logits[i * classes + c] > logits[i * classes + best]) best = c;
      if (best === labels.data[first + i]) ++correct;
    }
  }
  console.log(`accuracy ${(100 * correct / count).toFixed(2)} ` +
              `(${correct} of ${count})`);
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
