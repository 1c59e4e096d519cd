//! Our jni `ErrorPolicy`: every failure of a native becomes a checked
//! `org.jwtgate.JwtGateException` (libsignal's `ThrowAsBridgeLayerErrorAndDefault`).

use std::any::Any;
use std::cell::RefCell;

use jni::Env;
use jni::errors::ErrorPolicy;
use jni::objects::{Global, JObject, JThrowable, JValue};
use jni::signature::JavaType;
use jwtgate_core::{Error as CoreError, Reason};

use super::cache;

/// What a native body can fail with.
#[derive(Debug)]
pub(crate) enum BridgeError {
    /// A refusal or failure of the core, thrown with its own reason.
    Core(CoreError),
    /// A JNI call failed; thrown as `internal` unless a Java exception is already pending.
    Jni(jni::errors::Error),
}

impl std::fmt::Display for BridgeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BridgeError::Core(e) => e.fmt(f),
            BridgeError::Jni(e) => write!(f, "JNI failure: {e}"),
        }
    }
}

impl std::error::Error for BridgeError {}

impl From<jni::errors::Error> for BridgeError {
    fn from(e: jni::errors::Error) -> Self {
        BridgeError::Jni(e)
    }
}

impl From<CoreError> for BridgeError {
    fn from(e: CoreError) -> Self {
        BridgeError::Core(e)
    }
}

pub(crate) fn invalid_argument(msg: impl Into<String>) -> BridgeError {
    BridgeError::Core(CoreError::new(Reason::InvalidArgument, msg))
}

pub(crate) type BridgeResult<T> = Result<T, BridgeError>;

thread_local! {
    /// The exception a Java key loader threw during the current native call on
    /// this thread; it becomes the cause of the `key_source_unavailable` refusal.
    static LOADER_EXCEPTION: RefCell<Option<Global<JThrowable<'static>>>> = const { RefCell::new(None) };
}

pub(crate) fn remember_loader_exception(t: Global<JThrowable<'static>>) {
    LOADER_EXCEPTION.with(|c| *c.borrow_mut() = Some(t));
}

/// Drops what an earlier call left behind, so a cause never leaks into an unrelated refusal.
pub(crate) fn forget_loader_exception() {
    LOADER_EXCEPTION.with(|c| c.borrow_mut().take());
}

fn take_loader_exception() -> Option<Global<JThrowable<'static>>> {
    LOADER_EXCEPTION.with(|c| c.borrow_mut().take())
}

/// Builds and throws `JwtGateException.fromNative(code, reason, message, www, cause)`.
fn throw_jwtgate(env: &mut Env<'_>, err: &CoreError) -> jni::errors::Result<()> {
    let c = cache();
    let cause = if err.reason() == Reason::KeySourceUnavailable { take_loader_exception() } else { None };
    let reason = env.new_string(err.reason().as_str())?;
    let message = env.new_string(err.message())?;
    let www = env.new_string(err.www_authenticate())?;
    let null = JObject::null();
    let cause_ref: &JObject = match &cause {
        Some(t) => t.as_ref(),
        None => &null,
    };
    let args = [
        JValue::Int(i32::from(err.code())).as_jni(),
        JValue::Object(&reason).as_jni(),
        JValue::Object(&message).as_jni(),
        JValue::Object(&www).as_jni(),
        JValue::Object(cause_ref).as_jni(),
    ];
    // Safety: the method ID was looked up on this class with this exact signature.
    let obj = unsafe {
        env.call_static_method_unchecked(&c.exception_class, c.exception_factory, JavaType::Object, &args)?
    }
    .l()?;
    let throwable = env.cast_local::<JThrowable>(obj)?;
    // `throw` reports the now-pending exception as `Err(JavaException)`: that is success here.
    let _ = env.throw(&throwable);
    Ok(())
}

/// Throws `internal`; if even that fails, an `AssertionError` rather than returning silently.
fn throw_internal(env: &mut Env<'_>, msg: String) {
    if env.exception_check() {
        env.exception_clear();
    }
    let err = CoreError::new(Reason::Internal, msg);
    if throw_jwtgate(env, &err).is_err() || !env.exception_check() {
        if env.exception_check() {
            env.exception_clear();
        }
        let _ = env.throw_new(jni::jni_str!("java/lang/AssertionError"), jni::jni_str!("jwtgate: internal error (could not build JwtGateException)"));
    }
}

fn panic_text(payload: Box<dyn Any + Send + 'static>) -> String {
    let text = if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_string()
    };
    // Dropping a payload may itself panic; leak it instead of crossing the boundary.
    std::mem::forget(payload);
    text
}

/// Maps `BridgeError`s and panics to `JwtGateException`, returning `T::default()`
/// (0, null, false) to Java, which ignores it because an exception is pending.
pub(crate) struct ThrowJwtGateException;

impl<T: Default> ErrorPolicy<T, BridgeError> for ThrowJwtGateException {
    type Captures<'unowned_env_local: 'native_method, 'native_method> = ();

    fn on_error<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut Self::Captures<'unowned_env_local, 'native_method>,
        err: BridgeError,
    ) -> jni::errors::Result<T> {
        match err {
            BridgeError::Core(e) => {
                if env.exception_check() {
                    // A Java exception raised on the way (e.g. OutOfMemoryError) wins.
                    return Ok(T::default());
                }
                if throw_jwtgate(env, &e).is_err() || !env.exception_check() {
                    throw_internal(env, format!("could not throw JwtGateException for {}", e.reason()));
                }
            }
            // A Java exception is pending (OutOfMemoryError, ...): let it propagate as is.
            BridgeError::Jni(jni::errors::Error::JavaException) if env.exception_check() => {}
            BridgeError::Jni(e) => throw_internal(env, format!("JNI failure in jwtgate: {e}")),
        }
        Ok(T::default())
    }

    fn on_panic<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut Self::Captures<'unowned_env_local, 'native_method>,
        payload: Box<dyn Any + Send + 'static>,
    ) -> jni::errors::Result<T> {
        throw_internal(env, format!("a bug in jwtgate (panic: {})", panic_text(payload)));
        Ok(T::default())
    }
}
