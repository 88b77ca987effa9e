// The reference side of the differential tests and benchmarks: OpenAI's GPT-2
// encoding as computed by tiktoken (npm, pinned in package.json), with node.
//   node reference.js encode FILE            ids of the file's text, one line
//   node reference.js encode-to DIR FILE...  the same into DIR/0.ids, DIR/1.ids, ...
//   node reference.js shard OUT FIELD JSONL  the uncompressed llm.c shard that
//                                            the JSON Lines' FIELD texts give
//   node reference.js bench FILE [REPEAT]    prints MB/s of encode_ordinary
// Files are read as UTF-8 with invalid bytes replaced by U+FFFD (WHATWG).
'use strict';
const fs = require('fs');
const path = require('path');
let tiktoken;
try {
  tiktoken = require(path.join(__dirname, 'node_modules', 'tiktoken'));
} catch (e) {
  console.error('reference.js: tiktoken is not installed in tests/tokenize/node_modules ' +
                '(HINT: run `make deps`, which runs tokenize/setup.sh)');
  process.exit(1);
}
const enc = tiktoken.get_encoding('gpt2');
const EOT = 50256;

function encode(text) {
  return enc.encode_ordinary(text);
}

function cmdEncode(file) {
  const text = fs.readFileSync(file, 'utf8');
  process.stdout.write(Array.from(encode(text)).join(' ') + '\n');
}

function cmdEncodeTo(dir, files) {
  files.forEach((file, i) => {
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(path.join(dir, `${i}.ids`), Array.from(encode(text)).join(' ') + '\n');
  });
}

function cmdShard(out, field, file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const ids = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const doc = JSON.parse(line);
    ids.push(EOT);
    for (const id of encode(doc[field])) ids.push(id);
  }
  const buf = Buffer.alloc(1024 + 2 * ids.length);
  buf.writeInt32LE(20240520, 0);
  buf.writeInt32LE(1, 4);
  buf.writeInt32LE(ids.length, 8);
  for (let i = 0; i < ids.length; i++) buf.writeUInt16LE(ids[i], 1024 + 2 * i);
  fs.writeFileSync(out, buf);
}

function cmdBench(file, repeat) {
  const text = fs.readFileSync(file, 'utf8');
  const bytes = Buffer.byteLength(text, 'utf8');
  encode(text.slice(0, 100000)); // warm up
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  let n = 0;
  for (let r = 0; r < repeat; r++) n += encode(text).length;
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  const cu = process.cpuUsage(c);
  const cpu = (cu.user + cu.system) / 1e6;
  console.log(JSON.stringify({ mb_per_s: (bytes * repeat) / 1e6 / s,
                               cpu_mb_per_s: (bytes * repeat) / 1e6 / cpu, tokens: n,
                               seconds: s, cpu_seconds: cpu }));
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'encode' && args.length === 1) cmdEncode(args[0]);
else if (cmd === 'encode-to' && args.length >= 2) cmdEncodeTo(args[0], args.slice(1));
else if (cmd === 'shard' && args.length === 3) cmdShard(args[0], args[1], args[2]);
else if (cmd === 'bench' && args.length >= 1) cmdBench(args[0], Number(args[1] || 1));
else {
  console.error('usage: node reference.js encode FILE | encode-to DIR FILE... | shard OUT FIELD JSONL |\n' +
                '       bench FILE [REPEAT]');
  process.exit(2);
}
