//! Java key loaders: a class named in `verify.keyloader` (Sterling's
//! `IPLTJWTVerificationKeyLoader` style) or an instance registered with
//! `JwtGate.registerKeyLoader`. Both become a `jwtgate_core::KeyLoader` that
//! calls `VerificationKeyLoader.load(kid, alg, issuer)` through JNI.

use std::cell::RefCell;
use std::sync::Arc;

use jni::objects::{Global, JClass, JObject, JString, JThrowable, JValue};
use jni::signature::JavaType;
use jni::sys::jboolean;
use jni::{Env, EnvUnowned, JavaVM};
use jwtgate_core::keys::registry::set_loader_resolver;
use jwtgate_core::{KeyLoader, KeyRequest, register_keyloader, unregister_keyloader};

use super::cache;
use super::error::{BridgeResult, ThrowJwtGateException, invalid_argument, remember_loader_exception};
use super::gate::required;

/// Longest description of a loader's exception kept in a refusal message.
const MAX_DESCRIPTION: usize = 300;

struct JavaKeyLoader {
    /// Names the loader in messages: its class name, or "registered Java loader".
    label: String,
    loader: Global<JObject<'static>>,
}

fn opt_string<'l>(env: &mut Env<'l>, s: Option<&str>) -> jni::errors::Result<JObject<'l>> {
    Ok(match s {
        Some(s) => env.new_string(s)?.into(),
        None => JObject::null(),
    })
}

/// Clears the pending exception and describes it as `toString()` does, bounded.
/// The throwable is also kept for the calling thread (see `remember_loader_exception`).
fn take_exception(env: &mut Env<'_>, keep: bool) -> jni::errors::Result<String> {
    let Some(t) = env.exception_occurred() else {
        return Ok("an unknown Java exception".to_string());
    };
    env.exception_clear();
    // Safety: the method ID is Object.toString(), valid for every object.
    let text = unsafe { env.call_method_unchecked(&t, cache().object_to_string, JavaType::Object, &[]) };
    let text = match text.and_then(|v| v.l()) {
        Ok(s) if !s.is_null() => env.cast_local::<JString>(s)?.try_to_string(env)?,
        _ => {
            // toString itself threw: do not leave that pending either.
            env.exception_clear();
            "a Java exception whose toString() failed".to_string()
        }
    };
    if keep {
        let global: Global<JThrowable<'static>> = env.new_global_ref(&t)?;
        remember_loader_exception(global);
    }
    let mut text = text;
    if text.len() > MAX_DESCRIPTION {
        let mut cut = MAX_DESCRIPTION;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    Ok(text)
}

impl KeyLoader for JavaKeyLoader {
    fn load(&self, req: &KeyRequest<'_>) -> Result<Vec<u8>, String> {
        let vm = JavaVM::singleton().map_err(|e| format!("no Java VM to call {}: {e}", self.label))?;
        // Attaching is free on a Java thread (verify runs inside a native
        // call); it also pushes a local frame that is popped on return, so a
        // loader called in a long loop leaks no local references.
        let outcome = vm.attach_current_thread(|env| -> jni::errors::Result<Result<Vec<u8>, String>> {
            let c = cache();
            let kid = opt_string(env, req.kid)?;
            let alg = env.new_string(req.alg)?;
            let iss = opt_string(env, req.issuer)?;
            let args = [JValue::Object(&kid).as_jni(), JValue::Object(&alg).as_jni(), JValue::Object(&iss).as_jni()];
            // Safety: `loader` is a VerificationKeyLoader (checked when it was
            // registered or instantiated) and `loader_load` is its `load` method.
            let answer = unsafe { env.call_method_unchecked(&self.loader, c.loader_load, JavaType::Object, &args) };
            match answer {
                Ok(v) => {
                    let obj = v.l()?;
                    if obj.is_null() {
                        // No key for this kid: an empty set, refused as key_not_found.
                        return Ok(Ok(Vec::new()));
                    }
                    Ok(Ok(env.cast_local::<JString>(obj)?.try_to_string(env)?.into_bytes()))
                }
                Err(jni::errors::Error::JavaException) => {
                    let what = take_exception(env, true)?;
                    Ok(Err(format!("{} threw {what}", self.label)))
                }
                Err(e) => Err(e),
            }
        });
        match outcome {
            Ok(r) => r,
            Err(e) => Err(format!("calling {} through JNI failed: {e}", self.label)),
        }
    }
}

thread_local! {
    /// Why the last class name this thread tried to use as a loader failed;
    /// appended to the core's `config_invalid` message.
    static RESOLUTION_NOTE: RefCell<Option<String>> = const { RefCell::new(None) };
}

pub(crate) fn take_resolution_note() -> Option<String> {
    RESOLUTION_NOTE.with(|n| n.borrow_mut().take())
}

fn set_resolution_note(note: String) {
    RESOLUTION_NOTE.with(|n| *n.borrow_mut() = Some(note));
}

/// `com.acme.MyKeyLoader`, `a.b.Outer$Inner`: dotted Java identifiers. Other
/// unknown names are left to the core's "unknown loader" error.
fn looks_like_class_name(name: &str) -> bool {
    name.contains('.')
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_' || c == '$')
                && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        })
}

/// Instantiates a loader class through `JwtGate.instantiateLoader` (context
/// class loader first, then jwtgate's own), on the calling thread.
fn resolve_class(name: &str) -> Option<Arc<dyn KeyLoader>> {
    if !looks_like_class_name(name) {
        return None;
    }
    let vm = match JavaVM::singleton() {
        Ok(vm) => vm,
        Err(e) => {
            set_resolution_note(format!("no Java VM to load class `{name}`: {e}"));
            return None;
        }
    };
    let made = vm.attach_current_thread(|env| -> jni::errors::Result<Result<Global<JObject<'static>>, String>> {
        let c = cache();
        let jname = env.new_string(name)?;
        let args = [JValue::Object(&jname).as_jni()];
        // Safety: the method ID is JwtGate.instantiateLoader(String), static, on gate_class.
        let r = unsafe { env.call_static_method_unchecked(&c.gate_class, c.instantiate_loader, JavaType::Object, &args) };
        match r {
            Ok(v) => {
                let obj = v.l()?;
                Ok(Ok(env.new_global_ref(&obj)?))
            }
            Err(jni::errors::Error::JavaException) => Ok(Err(take_exception(env, false)?)),
            Err(e) => Err(e),
        }
    });
    match made {
        Ok(Ok(loader)) => Some(Arc::new(JavaKeyLoader { label: name.to_string(), loader })),
        Ok(Err(why)) => {
            set_resolution_note(format!(
                "the Java class `{name}` could not be used as a key loader (it must be on the context class \
                 path, implement org.jwtgate.VerificationKeyLoader and have a public no-argument constructor): {why}"
            ));
            None
        }
        Err(e) => {
            set_resolution_note(format!("loading the Java class `{name}` failed in JNI: {e}"));
            None
        }
    }
}

pub(crate) fn install_resolver() {
    set_loader_resolver(Some(Arc::new(resolve_class)));
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_org_jwtgate_JwtGate_nativeRegisterKeyLoader<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    name: JString<'l>,
    loader: JObject<'l>,
) {
    unowned
        .with_env(|env| -> BridgeResult<()> {
            let name = required(env, &name, "name")?;
            if loader.is_null() {
                return Err(invalid_argument("loader is null"));
            }
            let loader = env.new_global_ref(&loader)?;
            let label = format!("the Java loader registered as `{name}`");
            register_keyloader(&name, Arc::new(JavaKeyLoader { label, loader }));
            Ok(())
        })
        .resolve::<ThrowJwtGateException>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_org_jwtgate_JwtGate_nativeUnregisterKeyLoader<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    name: JString<'l>,
) -> jboolean {
    unowned
        .with_env(|env| -> BridgeResult<jboolean> {
            let name = required(env, &name, "name")?;
            Ok(unregister_keyloader(&name))
        })
        .resolve::<ThrowJwtGateException>()
}

#[cfg(test)]
mod tests {
    use super::looks_like_class_name;

    #[test]
    fn only_dotted_java_identifiers_are_taken_for_class_names() {
        assert!(looks_like_class_name("com.acme.MyKeyLoader"));
        assert!(looks_like_class_name("org.jwtgate.KeyLoaderTest$PemKeyLoader"));
        assert!(!looks_like_class_name("properties"));
        assert!(!looks_like_class_name("my-loader"));
        assert!(!looks_like_class_name("com..acme"));
        assert!(!looks_like_class_name("com.1acme.X"));
        assert!(!looks_like_class_name("https://idp.example.com/jwks"));
    }
}
