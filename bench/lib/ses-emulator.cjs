// The SES emulator (aws-ses-v2-local) as a child of the bench, reporting each stored email's
// recipient and arrival time (ms) over IPC, so latencies need no polling of its slow GET /store.
const store = require('aws-ses-v2-local/dist/store');
const server = require('aws-ses-v2-local').default;

let pending = [];
const save = store.saveEmail;
// sendEmail.js calls store_1.saveEmail through the exports object, so replacing it here takes effect.
store.saveEmail = (email) => {
  pending.push([email.destination.to[0], Date.now()]);
  save(email);
};
setInterval(() => {
  if (pending.length === 0) return;
  process.send({ arrivals: pending });
  pending = [];
}, 50).unref();

server({ host: '127.0.0.1', port: Number(process.argv[2]) }).then(() => process.send({ ready: true }));
process.on('disconnect', () => process.exit(0));
