//! Natives of `org.jwtgate.JwtGate`: build, verify, authenticate, reload,
//! stats, free. Each is a few lines over `jwtgate_core::Gate`.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jni::objects::{JClass, JObject, JObjectArray, JString};
use jni::sys::{jboolean, jlong};
use jni::{Env, EnvUnowned};
use jwtgate_core::{Gate, ManualClock, Reason, Request};

use super::error::{BridgeResult, ThrowJwtGateException, forget_loader_exception, invalid_argument};
use super::{identity, keyloader};

/// Reads a Java string argument; null is `invalid_argument` naming the parameter.
pub(crate) fn required(env: &Env<'_>, s: &JString<'_>, what: &str) -> BridgeResult<String> {
    if s.is_null() {
        return Err(invalid_argument(format!("{what} is null")));
    }
    Ok(s.try_to_string(env)?)
}

fn optional(env: &Env<'_>, s: &JString<'_>) -> BridgeResult<Option<String>> {
    if s.is_null() { Ok(None) } else { Ok(Some(s.try_to_string(env)?)) }
}

/// Borrows the gate behind a handle without touching its reference count.
///
/// The Java side keeps the `JwtGate` reachable (`reachabilityFence`) for the
/// whole call and documents that `close()` must not race other calls, so the
/// `Arc` outlives this borrow.
fn gate<'a>(handle: jlong) -> BridgeResult<&'a Gate> {
    if handle == 0 {
        return Err(invalid_argument("the gate is closed"));
    }
    // Safety: non-zero handles come from `into_handle` and are freed only by `nativeFree`.
    Ok(unsafe { &*(handle as *const Gate) })
}

/// Gates created through JNI and not yet freed: lets the Java tests prove that
/// `close()` and the Cleaner really free native memory.
static LIVE_GATES: AtomicI64 = AtomicI64::new(0);

fn into_handle(g: Gate) -> jlong {
    LIVE_GATES.fetch_add(1, Ordering::Relaxed);
    Arc::into_raw(Arc::new(g)) as jlong
}

/// Adds why a Java class named in `verify.keyloader` could not be used to the
/// core's "unknown loader" message.
fn with_loader_note(e: jwtgate_core::Error) -> jwtgate_core::Error {
    match keyloader::take_resolution_note() {
        Some(note) if e.reason() == Reason::ConfigInvalid => {
            jwtgate_core::Error::new(e.reason(), format!("{}; {note}", e.message()))
        }
        _ => e,
    }
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_org_jwtgate_JwtGate_nativeFromFile<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    path: JString<'l>,
) -> jlong {
    unowned
        .with_env(|env| -> BridgeResult<jlong> {
            let path = required(env, &path, "path")?;
            keyloader::take_resolution_note();
            let g = Gate::from_file(path).map_err(with_loader_note)?;
            Ok(into_handle(g))
        })
        .resolve::<ThrowJwtGateException>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_org_jwtgate_JwtGate_nativeFromString<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    text: JString<'l>,
    fixed_clock: jboolean,
    now: jlong,
) -> jlong {
    unowned
        .with_env(|env| -> BridgeResult<jlong> {
            let text = required(env, &text, "text")?;
            keyloader::take_resolution_note();
            let g = if fixed_clock {
                let now = u64::try_from(now).map_err(|_| invalid_argument("fixedNow must not be negative"))?;
                Gate::from_properties_with_clock(&text, Arc::new(ManualClock::new(now)))
            } else {
                Gate::from_properties(&text)
            }
            .map_err(with_loader_note)?;
            Ok(into_handle(g))
        })
        .resolve::<ThrowJwtGateException>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_org_jwtgate_JwtGate_nativeVerify<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    token: JString<'l>,
) -> JObject<'l> {
    unowned
        .with_env(|env| -> BridgeResult<JObject<'l>> {
            let g = gate(handle)?;
            let token = required(env, &token, "token")?;
            forget_loader_exception();
            let id = g.verify_shared(&token, None)?;
            Ok(identity::to_java(env, &id)?)
        })
        .resolve::<ThrowJwtGateException>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_org_jwtgate_JwtGate_nativeAuthenticate<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    endpoint: JString<'l>,
    headers: JObjectArray<'l, JString<'l>>,
    url: JString<'l>,
    body: JString<'l>,
) -> JObject<'l> {
    unowned
        .with_env(|env| -> BridgeResult<JObject<'l>> {
            let g = gate(handle)?;
            let endpoint = required(env, &endpoint, "endpoint")?;
            let url = optional(env, &url)?;
            let body = optional(env, &body)?;
            // Copy the flattened name/value pairs, one local frame so a request
            // with many headers does not grow the caller's local references.
            let pairs: Vec<(String, String)> = if headers.is_null() {
                Vec::new()
            } else {
                env.with_local_frame(8, |env| -> BridgeResult<_> {
                    let n = headers.len(env)?;
                    let mut flat = Vec::with_capacity(n);
                    for i in 0..n {
                        let s = headers.get_element(env, i)?;
                        flat.push(required(env, &s, "a header name or value")?);
                        env.delete_local_ref(s);
                    }
                    let mut pairs = Vec::with_capacity(n / 2);
                    let mut it = flat.into_iter();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        pairs.push((k, v));
                    }
                    Ok(pairs)
                })?
            };
            let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let req = Request { headers: &borrowed, url: url.as_deref(), body: body.as_deref().map(str::as_bytes) };
            forget_loader_exception();
            let id = g.authenticate_shared(&endpoint, &req)?;
            Ok(identity::to_java(env, &id)?)
        })
        .resolve::<ThrowJwtGateException>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_org_jwtgate_JwtGate_nativeReload<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    unowned
        .with_env(|_env| -> BridgeResult<()> {
            keyloader::take_resolution_note();
            gate(handle)?.reload().map_err(with_loader_note)?;
            Ok(())
        })
        .resolve::<ThrowJwtGateException>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_org_jwtgate_JwtGate_nativeStats<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> JString<'l> {
    unowned
        .with_env(|env| -> BridgeResult<JString<'l>> {
            let stats = gate(handle)?.stats();
            let json = serde_json::to_string(&stats)
                .map_err(|e| jwtgate_core::Error::new(Reason::Internal, format!("stats as JSON: {e}")))?;
            Ok(env.new_string(json)?)
        })
        .resolve::<ThrowJwtGateException>()
}

/// Frees a gate; 0 is a no-op. Java's `State.run()` calls it at most once.
#[unsafe(no_mangle)]
pub extern "system" fn Java_org_jwtgate_JwtGate_nativeFree<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    unowned
        .with_env(|_env| -> BridgeResult<()> {
            if handle != 0 {
                // Safety: the handle came from `into_handle` and Java frees it once.
                drop(unsafe { Arc::from_raw(handle as *const Gate) });
                LIVE_GATES.fetch_sub(1, Ordering::Relaxed);
            }
            Ok(())
        })
        .resolve::<ThrowJwtGateException>()
}

/// Every reason as `"code:name"`, built from `Reason::ALL` so Java never retypes the table.
#[unsafe(no_mangle)]
pub extern "system" fn Java_org_jwtgate_JwtGate_nativeReasons<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> JObjectArray<'l, JString<'l>> {
    unowned
        .with_env(|env| -> BridgeResult<JObjectArray<'l, JString<'l>>> {
            let arr = JObjectArray::<JString>::new(env, Reason::ALL.len(), JString::null())?;
            for (i, r) in Reason::ALL.iter().enumerate() {
                let s = env.new_string(format!("{}:{}", r.code(), r.as_str()))?;
                arr.set_element(env, i, &s)?;
                env.delete_local_ref(s);
            }
            Ok(arr)
        })
        .resolve::<ThrowJwtGateException>()
}

/// Test hook: panics inside a native so tests can prove a panic becomes `internal`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_org_jwtgate_JwtGate_nativePanicForTest<'l>(mut unowned: EnvUnowned<'l>, _class: JClass<'l>) {
    unowned
        .with_env(|_env| -> BridgeResult<()> { panic!("deliberate panic from nativePanicForTest") })
        .resolve::<ThrowJwtGateException>()
}

/// Test hook: how many gates are alive (built and not yet freed).
#[unsafe(no_mangle)]
pub extern "system" fn Java_org_jwtgate_JwtGate_nativeLiveGates<'l>(_unowned: EnvUnowned<'l>, _class: JClass<'l>) -> jlong {
    LIVE_GATES.load(Ordering::Relaxed)
}
