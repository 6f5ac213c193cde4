//! Sprig's encoding, hashing, random and certificate functions. Renders must be
//! reproducible (a finding must not come and go between runs), so what Sprig draws at
//! random is a fixed stand-in here: `rand*` repeat their alphabet, `uuidv4` and `shuffle`
//! are constant, `htpasswd` hashes with SHA-1 (`{SHA}`, unsalted) instead of bcrypt, and
//! `gen*` return placeholder PEM blocks that name what they stand for
//! (docs/helm-engine.md lists these).

use data_encoding::{BASE32, BASE64};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use super::args::{self, strval};
use super::Func;
use crate::render::helm::template::value::Value;

fn s(v: impl Into<String>) -> Result<Value, String> {
    Ok(Value::String(v.into()))
}

fn one(a: &[Value]) -> Result<&str, String> {
    args::count(a, 1)?;
    args::string(&a[0])
}

fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

/// Sprig returns a decoding error as the result, in Go's words: the first byte outside
/// the alphabet, else where the length went wrong.
fn decode(encoding: &data_encoding::Encoding, name: &str, text: &str) -> String {
    match encoding.decode(text.as_bytes()) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            let symbols = encoding.specification().symbols;
            let position = text
                .bytes()
                .position(|b| b != b'=' && !symbols.as_bytes().contains(&b))
                .unwrap_or(e.position);
            format!("illegal {name} data at input byte {position}")
        }
    }
}

/// `count` characters cycling through `alphabet`: the same string on every render.
fn repeat_alphabet(a: &[Value], alphabet: &str) -> Result<Value, String> {
    args::count(a, 1)?;
    let count = usize::try_from(args::int(&a[0])?).unwrap_or(0);
    if count > crate::render::helm::template::exec::MAX_OUTPUT {
        return Err("random string too long".to_string());
    }
    s(alphabet.chars().cycle().take(count).collect::<String>())
}

const LETTERS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";

/// A PEM block whose body says what it stands for.
fn placeholder_pem(label: &str, what: &str) -> String {
    let body = BASE64.encode(format!("paved placeholder {what}").as_bytes());
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

/// Sprig's `certificate`: a map with `Cert` and `Key`.
fn certificate(kind: &str, cn: &Value) -> Result<Value, String> {
    let cn = args::string(cn)?;
    let pair = [
        (
            "Cert",
            placeholder_pem("CERTIFICATE", &format!("{kind} certificate CN={cn}")),
        ),
        (
            "Key",
            placeholder_pem("RSA PRIVATE KEY", &format!("{kind} key CN={cn}")),
        ),
    ];
    Ok(Value::Map(
        pair.into_iter()
            .map(|(k, v)| (k.to_string(), Value::String(v)))
            .collect(),
    ))
}

pub const FUNCTIONS: &[(&str, Func)] = &[
    ("b64enc", |a| s(BASE64.encode(one(a)?.as_bytes()))),
    ("b64dec", |a| s(decode(&BASE64, "base64", one(a)?))),
    ("b32enc", |a| s(BASE32.encode(one(a)?.as_bytes()))),
    ("b32dec", |a| s(decode(&BASE32, "base32", one(a)?))),
    ("sha1sum", |a| s(hex(&Sha1::digest(one(a)?.as_bytes())))),
    ("sha256sum", |a| s(hex(&Sha256::digest(one(a)?.as_bytes())))),
    ("sha512sum", |a| s(hex(&Sha512::digest(one(a)?.as_bytes())))),
    ("adler32sum", |a| {
        s(adler2::adler32_slice(one(a)?.as_bytes()).to_string())
    }),
    ("uuidv4", |a| {
        args::count(a, 0)?;
        s("00000000-0000-4000-8000-000000000000")
    }),
    ("randAlphaNum", |a| {
        repeat_alphabet(a, &format!("{LETTERS}{DIGITS}"))
    }),
    ("randAlpha", |a| repeat_alphabet(a, LETTERS)),
    ("randNumeric", |a| repeat_alphabet(a, DIGITS)),
    ("randAscii", |a| {
        repeat_alphabet(a, &(b'!'..=b'~').map(char::from).collect::<String>())
    }),
    ("randBytes", |a| {
        args::count(a, 1)?;
        let count = usize::try_from(args::int(&a[0])?).unwrap_or(0);
        if count > crate::render::helm::template::exec::MAX_OUTPUT {
            return Err("random string too long".to_string());
        }
        s(BASE64.encode(&vec![0u8; count]))
    }),
    ("randInt", |a| {
        args::count(a, 2)?;
        Ok(Value::Int(args::to_i64(&a[0])))
    }),
    ("htpasswd", |a| {
        args::count(a, 2)?;
        let (user, password) = (args::string(&a[0])?, args::string(&a[1])?);
        if user.contains(':') {
            return s(format!("invalid username: {user}"));
        }
        let digest = BASE64.encode(&Sha1::digest(password.as_bytes()));
        s(format!("{user}:{{SHA}}{digest}"))
    }),
    ("genPrivateKey", |a| {
        let label = match one(a)? {
            "rsa" => "RSA PRIVATE KEY",
            "dsa" => "DSA PRIVATE KEY",
            "ecdsa" => "EC PRIVATE KEY",
            "ed25519" => "PRIVATE KEY",
            other => return s(format!("Unknown type {other}")),
        };
        s(placeholder_pem(label, &format!("{} key", strval(&a[0]))))
    }),
    ("genCA", |a| {
        args::count(a, 2)?;
        certificate("CA", &a[0])
    }),
    ("genSelfSignedCert", |a| {
        args::count(a, 4)?;
        certificate("self-signed", &a[0])
    }),
    ("genSignedCert", |a| {
        args::count(a, 5)?;
        certificate("signed", &a[0])
    }),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, a: &[Value]) -> Value {
        let f = FUNCTIONS.iter().find(|(n, _)| *n == name).unwrap().1;
        f(a).unwrap()
    }

    fn s(v: &str) -> Value {
        Value::from(v)
    }

    #[test]
    fn encodings_and_hashes_match_go() {
        assert_eq!(run("b64enc", &[s("hello")]), s("aGVsbG8="));
        assert_eq!(run("b64dec", &[s("aGVsbG8=")]), s("hello"));
        assert_eq!(
            run("b64dec", &[s("a!")]),
            s("illegal base64 data at input byte 1")
        );
        assert_eq!(
            run("sha1sum", &[s("abc")]),
            s("a9993e364706816aba3e25717850c26c9cd0d89d")
        );
        assert_eq!(run("adler32sum", &[s("Wikipedia")]), s("300286872"));
    }

    #[test]
    fn random_stand_ins_are_fixed() {
        assert_eq!(run("randAlphaNum", &[Value::Int(5)]), s("abcde"));
        assert_eq!(run("randNumeric", &[Value::Int(12)]), s("012345678901"));
        assert_eq!(
            run("htpasswd", &[s("admin"), s("abc")]),
            s("admin:{SHA}qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
        );
        let Value::Map(ca) = run("genCA", &[s("my-ca"), Value::Int(365)]) else {
            panic!("genCA gives a map")
        };
        let cert = ca.get("Cert").unwrap();
        let cert = cert.as_str().unwrap();
        assert!(cert.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(cert.ends_with("-----END CERTIFICATE-----\n"));
    }
}
