export const id = 592;
export const ids = [592];
export const modules = {

/***/ 9592:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  forkMessage: () => (/* binding */ forkMessage),
  oidcEnvironment: () => (/* binding */ oidcEnvironment),
  renderTrustedFailure: () => (/* binding */ renderTrustedFailure),
  trustedLine: () => (/* binding */ trustedLine),
  trustedPublishToken: () => (/* binding */ trustedPublishToken)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/publish/provenance.js
var provenance = __webpack_require__(3852);
;// CONCATENATED MODULE: ./node_modules/jose/dist/webapi/lib/buffer_utils.js
const buffer_utils_encoder = new TextEncoder(), decoder = new TextDecoder(), buffer_utils_strictDecoder = new TextDecoder("utf-8", { fatal: !0 }), UINT32_RANGE = (/* unused pure expression or super */ null && (2 ** 32));
function concat(...buffers) {
  const size = buffers.reduce((acc, { length }) => acc + length, 0), buf = new Uint8Array(size);
  let i = 0;
  for (const buffer of buffers)
    buf.set(buffer, i), i += buffer.length;
  return buf;
}
function writeUInt32BE(buf, value, offset) {
  if (value < 0 || value >= UINT32_RANGE)
    throw new RangeError(`value must be >= 0 and <= ${UINT32_RANGE - 1}. Received ${value}`);
  buf.set([value >>> 24, value >>> 16, value >>> 8, value & 255], offset);
}
function uint64be(value) {
  const high = Math.floor(value / UINT32_RANGE), low = value % UINT32_RANGE, buf = new Uint8Array(8);
  return writeUInt32BE(buf, high, 0), writeUInt32BE(buf, low, 4), buf;
}
function uint32be(value) {
  const buf = new Uint8Array(4);
  return writeUInt32BE(buf, value), buf;
}
const NON_ASCII = /[^\x00-\x7f]/;
function buffer_utils_encode(string) {
  if (typeof string == "string" && string.length >= 128) {
    if (NON_ASCII.test(string))
      throw new TypeError("non-ASCII string encountered in encode()");
    return buffer_utils_encoder.encode(string);
  }
  const bytes = new Uint8Array(string.length);
  for (let i = 0; i < string.length; i++) {
    const code = string.charCodeAt(i);
    if (code > 127)
      throw new TypeError("non-ASCII string encountered in encode()");
    bytes[i] = code;
  }
  return bytes;
}
function buffer_utils_encodeBase64(input, url = !1) {
  if (Uint8Array.prototype.toBase64)
    return input.toBase64({ alphabet: url ? "base64url" : "base64", omitPadding: url });
  const CHUNK_SIZE = 32768, arr = [];
  for (let i = 0; i < input.length; i += CHUNK_SIZE)
    arr.push(String.fromCharCode.apply(null, input.subarray(i, i + CHUNK_SIZE)));
  const encoded = btoa(arr.join(""));
  return url ? encoded.replace(/=/g, "").replace(/\+/g, "-").replace(/\//g, "_") : encoded;
}
function decodeBase64(encoded, url = !1) {
  if (Uint8Array.fromBase64)
    return Uint8Array.fromBase64(encoded, { alphabet: url ? "base64url" : "base64" });
  if (url) {
    if (encoded.includes("+") || encoded.includes("/"))
      throw new TypeError("Invalid base64url");
    encoded = encoded.replace(/-/g, "+").replace(/_/g, "/");
  }
  const binary = atob(encoded), bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++)
    bytes[i] = binary.charCodeAt(i);
  return bytes;
}
async function digest(algorithm, data) {
  const subtleDigest = `SHA-${algorithm.slice(-3)}`;
  return new Uint8Array(await crypto.subtle.digest(subtleDigest, data));
}


;// CONCATENATED MODULE: ./node_modules/jose/dist/webapi/util/base64url.js

const invalid = "The input to be decoded is not correctly encoded.";
function base64url_decode(input) {
  try {
    return decodeBase64(typeof input == "string" ? input : decoder.decode(input), !0);
  } catch (cause) {
    throw new TypeError(invalid, { cause });
  }
}
function base64url_encode(input) {
  return encodeBase64(typeof input == "string" ? encoder.encode(input) : input, !0);
}


;// CONCATENATED MODULE: ./node_modules/jose/dist/webapi/lib/validate.js



function assertUint8Array(input, label) {
  if (!(input instanceof Uint8Array))
    throw new TypeError(`${label} must be an instance of Uint8Array`);
}
function isObject(input) {
  if (typeof input != "object" || input === null || Object.prototype.toString.call(input) !== "[object Object]")
    return !1;
  const prototype = Object.getPrototypeOf(input);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}
function isJwkSet(input) {
  return isObject(input) && Array.isArray(input.keys) && Array.from(input.keys).every(isObject);
}
function isDisjoint(...headers) {
  const parameters = /* @__PURE__ */ new Set();
  for (const header of headers)
    if (header)
      for (const parameter of Object.keys(header)) {
        if (parameters.has(parameter))
          return !1;
        parameters.add(parameter);
      }
  return !0;
}
function assertNotSet(value, name) {
  if (value !== void 0)
    throw new TypeError(`${name} can only be called once`);
}
function decodeBase64url(value, label, ErrorClass) {
  try {
    return decode(value);
  } catch (cause) {
    throw new ErrorClass(`Failed to base64url decode the ${label}`, { cause });
  }
}
function encodeAsciiMember(value, label, ErrorClass) {
  try {
    return encode(value);
  } catch (cause) {
    throw new ErrorClass(`The ${label} is not a valid base64url string`, { cause });
  }
}
function parseJoseHeader(encodedProtectedHeader, ErrorClass, message) {
  let parsed;
  try {
    parsed = JSON.parse(strictDecoder.decode(decode(encodedProtectedHeader)));
  } catch (cause) {
    throw new ErrorClass(message, { cause });
  }
  if (!isObject(parsed))
    throw new ErrorClass(message);
  return parsed;
}
const JWS_RECOGNIZED = { __proto__: null, b64: !0 }, JWE_RECOGNIZED = { __proto__: null };
function validateAlgorithms(option, algorithms) {
  if (algorithms !== void 0 && (!Array.isArray(algorithms) || algorithms.some((s) => typeof s != "string")))
    throw new TypeError(`"${option}" option must be an array of strings`);
  return algorithms === void 0 ? void 0 : new Set(algorithms);
}
function validateCritDuplicates(Err, protectedHeader) {
  const { crit } = protectedHeader ?? {};
  if (Array.isArray(crit) && new Set(crit).size !== crit.length)
    throw new Err('"crit" (Critical) Header Parameter MUST NOT contain duplicate values');
}
function validateCrit(Err, recognizedDefault, recognizedOption, protectedHeader, joseHeader) {
  if (joseHeader.crit !== void 0 && protectedHeader?.crit === void 0)
    throw new Err('"crit" (Critical) Header Parameter MUST be integrity protected');
  if (!protectedHeader || protectedHeader.crit === void 0)
    return [];
  if (!Array.isArray(protectedHeader.crit) || protectedHeader.crit.length === 0 || protectedHeader.crit.some((input) => typeof input != "string" || input.length === 0))
    throw new Err('"crit" (Critical) Header Parameter MUST be an array of non-empty strings when present');
  const recognized = recognizedOption === void 0 ? recognizedDefault : { __proto__: null, ...recognizedOption, ...recognizedDefault };
  for (const parameter of protectedHeader.crit) {
    if (!(parameter in recognized))
      throw new JOSENotSupported(`Extension Header Parameter "${parameter}" is not recognized`);
    if (!Object.hasOwn(joseHeader, parameter) || joseHeader[parameter] === void 0)
      throw new Err(`Extension Header Parameter "${parameter}" is missing`);
    if (recognized[parameter] && (!Object.hasOwn(protectedHeader, parameter) || protectedHeader[parameter] === void 0))
      throw new Err(`Extension Header Parameter "${parameter}" MUST be integrity protected`);
  }
  return protectedHeader.crit;
}
function validateB64(protectedHeader, extensions) {
  if (extensions.includes("b64")) {
    const b64 = protectedHeader.b64;
    if (typeof b64 != "boolean")
      throw new JWSInvalid('The "b64" (base64url-encode payload) Header Parameter must be a boolean');
    return b64;
  }
  return !0;
}
function serializeJoseHeader(Err, header) {
  let serialized, parsed;
  try {
    serialized = JSON.stringify(header), parsed = JSON.parse(serialized);
  } catch (cause) {
    throw new Err("JOSE Header is not valid JSON", { cause });
  }
  if (!isObject(parsed))
    throw new Err("JOSE Header is not a JSON object");
  return [parsed, serialized];
}


;// CONCATENATED MODULE: ./node_modules/jose/dist/webapi/util/errors.js
class JOSEError extends Error {
  static code = "ERR_JOSE_GENERIC";
  code = "ERR_JOSE_GENERIC";
  constructor(message, options) {
    super(message, options), this.name = this.constructor.name, Error.captureStackTrace?.(this, this.constructor);
  }
}
class JWTClaimValidationFailed extends JOSEError {
  static code = "ERR_JWT_CLAIM_VALIDATION_FAILED";
  code = "ERR_JWT_CLAIM_VALIDATION_FAILED";
  claim;
  reason;
  payload;
  constructor(message, payload, claim = "unspecified", reason = "unspecified") {
    super(message, { cause: { claim, reason, payload } }), this.claim = claim, this.reason = reason, this.payload = payload;
  }
}
class JWTExpired extends JOSEError {
  static code = "ERR_JWT_EXPIRED";
  code = "ERR_JWT_EXPIRED";
  claim;
  reason;
  payload;
  constructor(message, payload, claim = "unspecified", reason = "unspecified") {
    super(message, { cause: { claim, reason, payload } }), this.claim = claim, this.reason = reason, this.payload = payload;
  }
}
class JOSEAlgNotAllowed extends (/* unused pure expression or super */ null && (JOSEError)) {
  static code = (/* unused pure expression or super */ null && ("ERR_JOSE_ALG_NOT_ALLOWED"));
  code = "ERR_JOSE_ALG_NOT_ALLOWED";
}
class errors_JOSENotSupported extends (/* unused pure expression or super */ null && (JOSEError)) {
  static code = (/* unused pure expression or super */ null && ("ERR_JOSE_NOT_SUPPORTED"));
  code = "ERR_JOSE_NOT_SUPPORTED";
}
class JWEDecryptionFailed extends JOSEError {
  static code = "ERR_JWE_DECRYPTION_FAILED";
  code = "ERR_JWE_DECRYPTION_FAILED";
  constructor(message = "decryption operation failed", options) {
    super(message, options);
  }
}
class JWEInvalid extends (/* unused pure expression or super */ null && (JOSEError)) {
  static code = (/* unused pure expression or super */ null && ("ERR_JWE_INVALID"));
  code = "ERR_JWE_INVALID";
}
class errors_JWSInvalid extends (/* unused pure expression or super */ null && (JOSEError)) {
  static code = (/* unused pure expression or super */ null && ("ERR_JWS_INVALID"));
  code = "ERR_JWS_INVALID";
}
class JWTInvalid extends JOSEError {
  static code = "ERR_JWT_INVALID";
  code = "ERR_JWT_INVALID";
}
class JWKInvalid extends (/* unused pure expression or super */ null && (JOSEError)) {
  static code = (/* unused pure expression or super */ null && ("ERR_JWK_INVALID"));
  code = "ERR_JWK_INVALID";
}
class JWKSInvalid extends (/* unused pure expression or super */ null && (JOSEError)) {
  static code = (/* unused pure expression or super */ null && ("ERR_JWKS_INVALID"));
  code = "ERR_JWKS_INVALID";
}
class JWKSNoMatchingKey extends JOSEError {
  static code = "ERR_JWKS_NO_MATCHING_KEY";
  code = "ERR_JWKS_NO_MATCHING_KEY";
  constructor(message = "no applicable key found in the JSON Web Key Set", options) {
    super(message, options);
  }
}
class JWKSMultipleMatchingKeys extends JOSEError {
  [Symbol.asyncIterator] = async function* () {
  };
  static code = "ERR_JWKS_MULTIPLE_MATCHING_KEYS";
  code = "ERR_JWKS_MULTIPLE_MATCHING_KEYS";
  constructor(message = "multiple matching keys found in the JSON Web Key Set", options) {
    super(message, options);
  }
}
class JWKSTimeout extends JOSEError {
  static code = "ERR_JWKS_TIMEOUT";
  code = "ERR_JWKS_TIMEOUT";
  constructor(message = "request timed out", options) {
    super(message, options);
  }
}
class JWSSignatureVerificationFailed extends JOSEError {
  static code = "ERR_JWS_SIGNATURE_VERIFICATION_FAILED";
  code = "ERR_JWS_SIGNATURE_VERIFICATION_FAILED";
  constructor(message = "signature verification failed", options) {
    super(message, options);
  }
}


;// CONCATENATED MODULE: ./node_modules/jose/dist/webapi/util/decode_jwt.js




function decodeJwt(jwt) {
  if (typeof jwt != "string")
    throw new JWTInvalid("JWTs must use Compact JWS serialization, JWT must be a string");
  const { 1: encodedPayload, length } = jwt.split(".");
  if (length === 5)
    throw new JWTInvalid("Only JWTs using Compact JWS serialization can be decoded");
  if (length !== 3)
    throw new JWTInvalid("Invalid JWT");
  if (!encodedPayload)
    throw new JWTInvalid("JWTs must contain a payload");
  let claimsSetBytes;
  try {
    claimsSetBytes = base64url_decode(encodedPayload);
  } catch (cause) {
    throw new JWTInvalid("Failed to base64url decode the payload", { cause });
  }
  let claimsSet;
  try {
    claimsSet = JSON.parse(buffer_utils_strictDecoder.decode(claimsSetBytes));
  } catch (cause) {
    throw new JWTInvalid("Failed to parse the decoded payload as JSON", { cause });
  }
  if (!isObject(claimsSet))
    throw new JWTInvalid("Invalid JWT Claims Set");
  return claimsSet;
}


// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 9 modules
var schemas = __webpack_require__(7597);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/marketplace/schemas.js + 3 modules
var marketplace_schemas = __webpack_require__(9823);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/trusted.js
/**
 * The client side of trusted publishing: ask the marketplace which audience to request the OIDC
 * token for, exchange the token for a short-lived publish token, and, when that fails, say what
 * the token claimed and which registration would make it pass. The token itself never appears
 * in a message; its claims (repository, workflow, ref, environment) are not secret.
 */




const TIMEOUT_MS = 30_000;
const MAX_BODY = 256 * 1024;
async function call(url, init) {
    const res = await fetch(url, {
        ...init,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: { accept: 'application/json', ...init.headers },
    });
    const text = await res.text();
    if (text.length > MAX_BODY)
        throw new Error(`${url}: the answer is larger than ${MAX_BODY} bytes`);
    let json = null;
    try {
        json = text ? JSON.parse(text) : null;
    }
    catch {
        throw new Error(`${url}: HTTP ${res.status}, not JSON`);
    }
    return { status: res.status, json };
}
/** `GET /oidc/audience`; an error names the marketplace and what it answered. */
async function fetchAudience(apiUrl) {
    const url = `${apiUrl.replace(/\/+$/, '')}/oidc/audience`;
    const { status, json } = await call(url, { method: 'GET' });
    if (status === 404)
        throw new Error(`the marketplace at ${apiUrl} does not offer trusted publishing (GET /oidc/audience: HTTP 404)`);
    const parsed = marketplace_schemas/* OidcAudience */.ST.safeParse(json);
    if (status !== 200 || !parsed.success)
        throw new Error(`GET ${url}: HTTP ${status}, not an audience`);
    return parsed.data.audience;
}
async function exchangeOidcToken(apiUrl, oidcToken) {
    const url = `${apiUrl.replace(/\/+$/, '')}/oidc/token`;
    let answer;
    try {
        answer = await call(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ token: oidcToken }),
        });
    }
    catch (err) {
        return {
            ok: false,
            status: null,
            code: 'unreachable',
            message: `POST ${url} failed: ${err instanceof Error ? err.message : String(err)}`,
        };
    }
    if (answer.status === 200) {
        const parsed = marketplace_schemas/* OidcTokenResponse */.yt.safeParse(answer.json);
        if (parsed.success)
            return { ok: true, response: parsed.data };
        const issue = parsed.error.issues[0];
        return {
            ok: false,
            status: 200,
            code: 'bad_response',
            message: `POST ${url}: unexpected answer (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`,
        };
    }
    const err = marketplace_schemas/* ErrorBody */.Fw.safeParse(answer.json);
    return err.success
        ? { ok: false, status: answer.status, code: err.data.error.code, message: err.data.error.message }
        : { ok: false, status: answer.status, code: 'http_error', message: `POST ${url}: HTTP ${answer.status}` };
}
/** What an OIDC token says about the job, for the summary of a failed exchange. */
const TokenClaims = schemas/* object */.Ikc({
    iss: schemas/* string */.YjP().optional(),
    aud: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* array */.YOg(schemas/* string */.YjP())]).optional(),
    repository: schemas/* string */.YjP().optional(),
    repository_id: schemas/* string */.YjP().optional(),
    repository_owner_id: schemas/* string */.YjP().optional(),
    workflow_ref: schemas/* string */.YjP().optional(),
    job_workflow_ref: schemas/* string */.YjP().optional(),
    ref: schemas/* string */.YjP().optional(),
    environment: schemas/* string */.YjP().optional(),
    event_name: schemas/* string */.YjP().optional(),
});
const printable = (s) => s.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 500);
/** Decoded, not verified: only ever shown (control characters replaced), never trusted. */
function tokenClaims(oidcToken) {
    try {
        const parsed = TokenClaims.safeParse(decodeJwt(oidcToken));
        if (!parsed.success)
            return null;
        return Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k, Array.isArray(v) ? v.map(printable) : typeof v === 'string' ? printable(v) : v]));
    }
    catch {
        return null;
    }
}
const shellWord = (s) => (/^[A-Za-z0-9_./:@=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
/** The `admin publisher add` command that registers exactly this job as `pkg`'s trusted publisher. */
function registrationCommand(pkg, claims) {
    const ref = claims.job_workflow_ref ?? claims.workflow_ref;
    if (!claims.repository || !claims.repository_id || !claims.repository_owner_id || !ref)
        return null;
    const args = [
        'fapilog-plugins admin publisher add',
        shellWord(pkg),
        `--repository ${shellWord(claims.repository)}`,
        `--repository-id ${shellWord(claims.repository_id)}`,
        `--owner-id ${shellWord(claims.repository_owner_id)}`,
        `--workflow ${shellWord((0,provenance/* workflowFile */.EY)(ref))}`,
    ];
    if (claims.environment)
        args.push(`--environment ${shellWord(claims.environment)}`);
    if (claims.iss && claims.iss.replace(/\/+$/, '') !== marketplace_schemas/* GITHUB_OIDC_ISSUER */.oP)
        args.push(`--issuer ${shellWord(claims.iss)}`);
    return args.join(' ');
}

// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/render/markdown.js
var markdown = __webpack_require__(9003);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/action/oidc.js
/**
 * Trusted publishing in the Action: with no `token` and an OIDC request URL (the job has
 * `permissions: id-token: write`), get a GitHub OIDC token for the marketplace's audience,
 * exchange it for a 15-minute publish token and mask that. No @actions imports: the runner
 * passes core.getIDToken and core.setSecret. When the exchange fails, the summary section shows
 * what the token claimed, the marketplace's reason, and the registration that would let it pass.
 */




const MAX_EVENT_BYTES = 10 * 1024 * 1024;
/** Reads the runner's environment; a missing or unreadable event file just means "not a fork". */
function oidcEnvironment(env) {
    const available = Boolean(env['ACTIONS_ID_TOKEN_REQUEST_URL']);
    let forkPullRequest = null;
    const event = env['GITHUB_EVENT_NAME'];
    const file = env['GITHUB_EVENT_PATH'];
    if ((event === 'pull_request' || event === 'pull_request_review' || event === 'pull_request_review_comment') && file) {
        try {
            if ((0,external_node_fs_.statSync)(file).size <= MAX_EVENT_BYTES) {
                const payload = JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
                const head = payload.pull_request?.head?.repo;
                const base = payload.pull_request?.base?.repo?.full_name;
                const headName = typeof head?.full_name === 'string' ? head.full_name : null;
                if (head === null || head?.fork === true || (headName !== null && typeof base === 'string' && headName !== base))
                    forkPullRequest = headName ?? 'a deleted fork';
            }
        }
        catch {
            forkPullRequest = null;
        }
    }
    return { available, forkPullRequest };
}
// Claims and the refusal come from the token and the marketplace: escaped (markdown.ts).
const cell = markdown/* cell */.Hn;
const code = markdown/* codeCell */.MZ;
function renderTrustedFailure(args) {
    const { pkg, claims, reason, audience } = args;
    const out = ['### Trusted publishing', ''];
    out.push(`**The marketplace refused the OIDC token:** ${cell(reason)}`, '');
    if (claims) {
        out.push('What the token says about this job (claims are not secret; the token itself is masked):', '');
        out.push('| Claim | Value |', '|---|---|');
        const rows = [
            ['repository', claims.repository],
            ['repository_id', claims.repository_id],
            ['repository_owner_id', claims.repository_owner_id],
            ['job_workflow_ref', claims.job_workflow_ref],
            ['workflow_ref', claims.workflow_ref],
            ['ref', claims.ref],
            ['environment', claims.environment ?? '(none)'],
            ['aud', Array.isArray(claims.aud) ? claims.aud.join(', ') : (claims.aud ?? audience ?? undefined)],
            ['iss', claims.iss],
        ];
        for (const [k, v] of rows)
            if (v !== undefined)
                out.push(`| ${code(k)} | ${code(v)} |`);
        out.push('');
        const command = pkg ? registrationCommand(pkg, claims) : null;
        if (command) {
            out.push('To let exactly this job publish, the marketplace admin runs (add `--owner NAME` when the plugin has never been published; the plugin owner can `POST /api/v1/plugins/{name}/publishers` with the same values instead):', '', '```sh', command.replace(/`/g, "'"), '```', '');
        }
    }
    return out.join('\n');
}
/** Gets, exchanges and masks a publish token; on failure, a message and a summary section. */
async function trustedPublishToken(apiUrl, pkg, deps) {
    const fail = (message, claims, reason, audience) => ({
        ok: false,
        message,
        markdown: renderTrustedFailure({ pkg, claims, reason, audience }),
    });
    let audience;
    try {
        audience = await fetchAudience(apiUrl);
    }
    catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return fail(`trusted publishing: ${why}`, null, why, null);
    }
    let idToken;
    try {
        idToken = await deps.getIDToken(audience);
    }
    catch (err) {
        const why = `could not get an OIDC token from GitHub: ${err instanceof Error ? err.message : String(err)}; the publish job needs \`permissions: id-token: write\``;
        return fail(`trusted publishing: ${why}`, null, why, audience);
    }
    deps.setSecret(idToken);
    const claims = tokenClaims(idToken);
    const result = await exchangeOidcToken(apiUrl, idToken);
    if (!result.ok) {
        const status = result.status === null ? '' : ` (HTTP ${result.status} ${result.code})`;
        return fail(`trusted publishing: the marketplace refused the OIDC token${status}: ${result.message}`, claims, result.message, audience);
    }
    deps.setSecret(result.response.token);
    return {
        ok: true,
        token: result.response.token,
        publisher: result.response.publisher,
        plugins: result.response.plugins,
        expiresAt: result.response.expires_at,
    };
}
function trustedLine(publisher, expiresAt) {
    return `trusted publishing: exchanged the OIDC token of ${(0,provenance/* describePublisher */.w$)(publisher).replace(/^trusted publisher /, '')} for a publish token valid until ${expiresAt}`;
}
function forkMessage(fork) {
    return `publishing needs a token, and trusted publishing is unavailable here: GitHub gives no OIDC token to a workflow run for a pull request from a fork (${fork}); publish from a tag push in the upstream repository`;
}


/***/ })

};
