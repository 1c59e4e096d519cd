//! `jwtgate_core::Identity` → `org.jwtgate.Identity`, through the constructor
//! cached in `JNI_OnLoad`.

use jni::Env;
use jni::objects::{JObject, JObjectArray, JString, JValue};
use jni::signature::MethodSignature;
use jni::jni_sig;
use jwtgate_core::Identity;

use super::cache;

/// `Identity(user, email, groups[], realm, issuer, subject, audience[], expiresAt, hasExpiresAt,
/// issuedAt, hasIssuedAt, kid, alg, profile, uniqueId, claimsJson)`; keep in step with Identity.java.
pub(crate) const CTOR_SIG: MethodSignature<'static, 'static> = jni_sig!(
    "(Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;JZJZLjava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)V"
);

fn opt_string<'l>(env: &mut Env<'l>, s: Option<&str>) -> jni::errors::Result<JObject<'l>> {
    Ok(match s {
        Some(s) => env.new_string(s)?.into(),
        None => JObject::null(),
    })
}

fn string_array<'l>(env: &mut Env<'l>, items: &[String]) -> jni::errors::Result<JObject<'l>> {
    let arr: JObjectArray<'l, JString<'l>> = JObjectArray::<JString>::new(env, items.len(), JString::null())?;
    for (i, item) in items.iter().enumerate() {
        let s = env.new_string(item)?;
        arr.set_element(env, i, &s)?;
        // Delete as we go: a token may carry many groups.
        env.delete_local_ref(s);
    }
    Ok(arr.into())
}

/// Builds the Java identity inside its own local frame, so only the returned
/// reference outlives the call (no local-reference growth in long loops).
pub(crate) fn to_java<'l>(env: &mut Env<'l>, id: &Identity) -> jni::errors::Result<JObject<'l>> {
    env.with_local_frame_returning_local::<_, JObject, _>(24, |env| {
        let c = cache();
        let user = env.new_string(&id.user)?;
        let email = opt_string(env, id.email.as_deref())?;
        let groups = string_array(env, &id.groups)?;
        let realm = env.new_string(&id.realm)?;
        let issuer = opt_string(env, id.issuer.as_deref())?;
        let subject = opt_string(env, id.subject.as_deref())?;
        let audience = string_array(env, &id.audience)?;
        let kid = opt_string(env, id.kid.as_deref())?;
        let alg = env.new_string(&id.alg)?;
        let profile = env.new_string(&id.profile)?;
        let unique_id = env.new_string(&id.unique_id)?;
        let claims = env.new_string(id.claims.to_string())?;
        let args = [
            JValue::Object(&user).as_jni(),
            JValue::Object(&email).as_jni(),
            JValue::Object(&groups).as_jni(),
            JValue::Object(&realm).as_jni(),
            JValue::Object(&issuer).as_jni(),
            JValue::Object(&subject).as_jni(),
            JValue::Object(&audience).as_jni(),
            JValue::Long(id.expires_at.unwrap_or(0)).as_jni(),
            JValue::Bool(id.expires_at.is_some()).as_jni(),
            JValue::Long(id.issued_at.unwrap_or(0)).as_jni(),
            JValue::Bool(id.issued_at.is_some()).as_jni(),
            JValue::Object(&kid).as_jni(),
            JValue::Object(&alg).as_jni(),
            JValue::Object(&profile).as_jni(),
            JValue::Object(&unique_id).as_jni(),
            JValue::Object(&claims).as_jni(),
        ];
        // Safety: the constructor ID was looked up on this class with CTOR_SIG,
        // and `args` follows CTOR_SIG one to one.
        unsafe { env.new_object_unchecked(&c.identity_class, c.identity_ctor, &args) }
    })
}
