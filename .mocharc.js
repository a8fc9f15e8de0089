// Mocha adds test files named on the command line to a configured `spec` instead of replacing it;
// naming files (`npx mocha --spec dist/test/x.test.js`) runs only those, no arguments run everything.
const namesFiles = process.argv.slice(2).some((arg) => /\.test\.js$/.test(arg));

module.exports = {
  ...(namesFiles ? {} : { spec: ["dist/test/**/*.test.js"] }),
  require: ["dist/test/support/root-hooks.js"],
  timeout: 20000,
  reporter: "spec",
};
