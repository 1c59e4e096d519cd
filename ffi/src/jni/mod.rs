//! The JNI entry points of `org.jwtgate.JwtGate` (ffi/java/), sharing
//! libjwtgate with the C ABI.
//!
//! Conventions (DESIGN §5 Java, STYLE §6):
//! - Natives are `private static` and take the gate handle first; they never
//!   read Java fields. A handle is `Arc::into_raw(Arc<Gate>) as jlong`; calls
//!   borrow it, `nativeFree` rebuilds and drops the `Arc` (0 is a no-op).
//! - Every body runs in `EnvUnowned::with_env` (panics caught) and resolves
//!   with [`error::ThrowJwtGateException`]: a core error becomes
//!   `org.jwtgate.JwtGateException(code, reason, message)`, a panic or JNI
//!   failure the same exception with reason `internal`. No call returns with
//!   a pending exception other than the one it means to throw.
//! - Classes and method IDs are looked up once in `JNI_OnLoad` (where
//!   `FindClass` sees jwtgate's own class loader) and kept as globals, because
//!   key-loader threads attached later only see the system class loader.

mod error;
mod gate;
mod identity;
mod keyloader;

use std::ffi::c_void;
use std::sync::OnceLock;

use jni::objects::{Global, JClass};
use jni::sys::{JNI_ERR, JNI_VERSION_1_8, jint};
use jni::{Env, JavaVM, jni_sig, jni_str};
use jni::ids::{JMethodID, JStaticMethodID};

/// Classes and method IDs resolved once, in `JNI_OnLoad`.
pub(crate) struct Cache {
    pub exception_class: Global<JClass<'static>>,
    /// `JwtGateException.fromNative(int, String, String, String, Throwable)`.
    pub exception_factory: JStaticMethodID,
    pub identity_class: Global<JClass<'static>>,
    /// `Identity(String, String, String[], ..., String)`; see identity.rs.
    pub identity_ctor: JMethodID,
    pub gate_class: Global<JClass<'static>>,
    /// `JwtGate.instantiateLoader(String) -> VerificationKeyLoader`.
    pub instantiate_loader: JStaticMethodID,
    /// `VerificationKeyLoader.load(String, String, String) -> String`.
    pub loader_load: JMethodID,
    /// `Object.toString()`, to describe a loader's exception.
    pub object_to_string: JMethodID,
}

static CACHE: OnceLock<Cache> = OnceLock::new();

/// The cache; `JNI_OnLoad` filled it before any native could run.
pub(crate) fn cache() -> &'static Cache {
    CACHE.get().expect("JNI_OnLoad initialised the class cache")
}

fn global_class(env: &mut Env<'_>, name: &jni::strings::JNIStr) -> jni::errors::Result<Global<JClass<'static>>> {
    let local = env.find_class(name)?;
    env.new_global_ref(&local)
}

fn build_cache(env: &mut Env<'_>) -> jni::errors::Result<Cache> {
    let exception_class = global_class(env, jni_str!("org/jwtgate/JwtGateException"))?;
    let exception_factory = env.get_static_method_id(
        &exception_class,
        jni_str!("fromNative"),
        jni_sig!("(ILjava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/Throwable;)Lorg/jwtgate/JwtGateException;"),
    )?;
    let identity_class = global_class(env, jni_str!("org/jwtgate/Identity"))?;
    let identity_ctor = env.get_method_id(&identity_class, jni_str!("<init>"), identity::CTOR_SIG)?;
    let gate_class = global_class(env, jni_str!("org/jwtgate/JwtGate"))?;
    let instantiate_loader = env.get_static_method_id(
        &gate_class,
        jni_str!("instantiateLoader"),
        jni_sig!("(Ljava/lang/String;)Lorg/jwtgate/VerificationKeyLoader;"),
    )?;
    let loader_class = global_class(env, jni_str!("org/jwtgate/VerificationKeyLoader"))?;
    let loader_load = env.get_method_id(
        &loader_class,
        jni_str!("load"),
        jni_sig!("(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;"),
    )?;
    let object_class = env.find_class(jni_str!("java/lang/Object"))?;
    let object_to_string = env.get_method_id(&object_class, jni_str!("toString"), jni_sig!("()Ljava/lang/String;"))?;
    Ok(Cache {
        exception_class,
        exception_factory,
        identity_class,
        identity_ctor,
        gate_class,
        instantiate_loader,
        loader_load,
        object_to_string,
    })
}

/// Runs when `NativeLibrary.load()` loads libjwtgate into a JVM.
///
/// # Safety
/// Called by the JVM with its own valid `JavaVM` pointer.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn JNI_OnLoad(vm: *mut jni::sys::JavaVM, _reserved: *mut c_void) -> jint {
    let loaded = std::panic::catch_unwind(|| {
        if vm.is_null() {
            return false;
        }
        // Safety: the JVM hands us its valid VM pointer.
        let vm = unsafe { JavaVM::from_raw(vm) };
        let cache = vm.attach_current_thread(build_cache);
        match cache {
            Ok(c) => {
                // A second load in another class loader keeps the first cache: the
                // JVM refuses to load one library into two class loaders anyway.
                let _ = CACHE.set(c);
                keyloader::install_resolver();
                true
            }
            Err(_) => false,
        }
    });
    match loaded {
        Ok(true) => JNI_VERSION_1_8,
        _ => JNI_ERR,
    }
}
