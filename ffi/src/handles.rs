//! Opaque handles: C sees `jwtgate_gate *` / `jwtgate_identity *`, Rust
//! keeps a `Box<Tagged<T>>` behind it. The tag sits at offset 0 of every
//! handle (`repr(C)`), so passing one handle type where another is expected
//! reads 8 in-bounds bytes and is refused, instead of being misread: Rust
//! may reorder the fields of the payload, never of `Tagged`.

#[repr(C)]
pub(crate) struct Tagged<T> {
    tag: u64,
    pub(crate) value: T,
}

/// A handle kind: the opaque C type `H` owning a boxed `T`, with its tag.
pub(crate) trait Handle: Sized {
    type Value;
    const TAG: u64;

    /// Moves `value` to the heap; the caller owns the returned pointer.
    fn into_raw(value: Self::Value) -> *mut Self {
        Box::into_raw(Box::new(Tagged { tag: Self::TAG, value })).cast()
    }

    /// A handle that lives on the caller's stack (the key sink: valid only
    /// during one callback); pass `as_ptr` to C.
    fn on_stack(value: Self::Value) -> Tagged<Self::Value> {
        Tagged { tag: Self::TAG, value }
    }

    fn as_ptr(tagged: &mut Tagged<Self::Value>) -> *mut Self {
        (tagged as *mut Tagged<Self::Value>).cast()
    }

    /// Mutably borrows the value; None for NULL or another kind.
    ///
    /// # Safety
    /// As [`Handle::get`], and no other reference to the value is live.
    unsafe fn get_mut<'a>(ptr: *mut Self) -> Option<&'a mut Self::Value> {
        // SAFETY: forwarded contract; the tag check comes first.
        unsafe { Self::get(ptr) }?;
        Some(unsafe { &mut (*ptr.cast::<Tagged<Self::Value>>()).value })
    }

    /// Borrows the value; None for NULL or a handle of another kind.
    ///
    /// # Safety
    /// `ptr` is NULL or a live handle of some kind from this library.
    unsafe fn get<'a>(ptr: *const Self) -> Option<&'a Self::Value> {
        let tagged = ptr.cast::<Tagged<Self::Value>>();
        // SAFETY: every live handle starts with a readable u64 tag; the value
        // is only touched once the tag says it is ours.
        unsafe { (!tagged.is_null() && (*tagged.cast::<u64>()) == Self::TAG).then(|| &(*tagged).value) }
    }

    /// Takes ownership back and drops it; NULL or a foreign handle is ignored.
    ///
    /// # Safety
    /// As [`Handle::get`]; the pointer is not used afterwards.
    unsafe fn free(ptr: *mut Self) {
        // SAFETY: forwarded contract; the tag check makes this our own Box.
        if unsafe { Self::get(ptr) }.is_some() {
            drop(unsafe { Box::from_raw(ptr.cast::<Tagged<Self::Value>>()) });
        }
    }
}
