// fhirclient imports isomorphic-webcrypto for PKCE; every runtime MOVO-X supports has WebCrypto built in.
module.exports = globalThis.crypto;
module.exports.default = globalThis.crypto;
