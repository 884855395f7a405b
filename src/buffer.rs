//! Zero-copy access to Python buffers (bytes, bytearray, memoryview, array…).
//!
//! Written against the raw buffer protocol instead of `pyo3::buffer::PyBuffer`
//! for two reasons: CPython's own `y*`/`w*` argument parsing asks for a simple
//! contiguous buffer, so its error messages are the ones produced here; and a
//! `Py_buffer` on the stack costs no allocation on the `send`/`recv_into` hot
//! path.

use std::mem::MaybeUninit;

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// Below this size `receive_bytes` reads into a buffer on the stack and
/// copies; above it, it reads straight into the new bytes object, as CPython
/// does (whose `_PyBytes_Resize` is not in the limited API). The stack's
/// lines are the ones most likely still in cache when the call returns.
const DIRECT_MIN: usize = 4096;

/// A new `bytes` holding what `op` receives into the slot it is given (at
/// most `n` bytes); `op` returns the count received and anything else.
pub fn receive_bytes<T>(
    py: Python<'_>,
    n: usize,
    mut op: impl FnMut(&mut [MaybeUninit<u8>]) -> PyResult<(usize, T)>,
) -> PyResult<(Py<PyBytes>, T)> {
    if n >= DIRECT_MIN {
        let len = ffi::Py_ssize_t::try_from(n)
            .map_err(|_| pyo3::exceptions::PyOverflowError::new_err("buffer size too large"))?;
        // SAFETY: a NULL source makes an uninitialised bytes of `len`, which
        // no other code can see until it is returned; it is only written here.
        let obj = unsafe {
            Bound::from_owned_ptr_or_err(py, ffi::PyBytes_FromStringAndSize(std::ptr::null(), len))?
        }
        .cast_into::<PyBytes>()?;
        // SAFETY: the object's storage is `n` bytes long and ours alone.
        let slot = unsafe {
            std::slice::from_raw_parts_mut(
                ffi::PyBytes_AsString(obj.as_ptr()) as *mut MaybeUninit<u8>,
                n,
            )
        };
        let (got, extra) = op(slot)?;
        if got == n {
            return Ok((obj.unbind(), extra));
        }
        return Ok((received(py, slot, got), extra));
    }
    let mut buf = [MaybeUninit::<u8>::uninit(); DIRECT_MIN];
    let (got, extra) = op(&mut buf[..n])?;
    Ok((received(py, &buf[..n], got), extra))
}

/// `n` zero bytes, or MemoryError, as CPython's PyMem_Malloc of a control
/// buffer: calloc maps large sizes lazily, so a recvmsg(1, 2**31 - 1) costs
/// what it costs CPython, not a 2 GiB memset.
pub fn zeroed(n: usize) -> PyResult<Vec<u8>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let layout = std::alloc::Layout::array::<u8>(n)
        .map_err(|_| pyo3::exceptions::PyMemoryError::new_err(()))?;
    // SAFETY: `layout` has a non-zero size.
    let ptr = unsafe { std::alloc::alloc_zeroed(layout) };
    if ptr.is_null() {
        return Err(pyo3::exceptions::PyMemoryError::new_err(()));
    }
    // SAFETY: `ptr` came from the global allocator with the layout of `n`
    // u8s, all initialised (zero); the Vec takes it over.
    Ok(unsafe { Vec::from_raw_parts(ptr, n, n) })
}

/// With MSG_TRUNC the kernel may report more bytes than it wrote (a stream
/// socket discards the data, a datagram is cut): zero a slot on the stack
/// first, so the bytes returned are never stale stack memory. A larger slot
/// is a fresh bytes object, left as CPython leaves its own (zeroing a
/// recv(2**31, MSG_TRUNC) would write 2 GiB).
pub fn zero_for_trunc(slot: &mut [MaybeUninit<u8>], flags: i32) {
    if flags & libc::MSG_TRUNC != 0 && slot.len() < DIRECT_MIN {
        slot.fill(MaybeUninit::new(0));
    }
}

/// Raw pointers (into a buffer, a `msghdr`) carried into a GIL-free closure.
/// The memory they point to belongs to the caller's frame, or to an exported
/// buffer the caller holds, for the whole call, and one thread at a time uses
/// it.
pub struct Unshared<T>(pub T);
// SAFETY: see above; the pointee outlives the closure and is not shared.
// (Closures borrow it mutably through `get`, so Send is all they need.)
unsafe impl<T> Send for Unshared<T> {}

impl<T> Unshared<T> {
    /// Through a method, so closures capture the whole wrapper (which is
    /// Send) rather than the raw field (which is not).
    pub fn get(&mut self) -> &mut T {
        &mut self.0
    }
}

/// The bytes the kernel reported for a slot: its first `got` bytes. With
/// MSG_TRUNC `got` can exceed the slot (the datagram's real length); CPython
/// then returns that many bytes, of which only the slot's are data, and so
/// does rnet, the rest zeros rather than whatever memory follows.
fn received(py: Python<'_>, slot: &[MaybeUninit<u8>], got: usize) -> Py<PyBytes> {
    let filled = got.min(slot.len());
    // SAFETY: the kernel wrote the first `filled` bytes of the slot.
    let data = unsafe { std::slice::from_raw_parts(slot.as_ptr() as *const u8, filled) };
    if got == filled {
        return PyBytes::new(py, data).unbind();
    }
    PyBytes::new_with(py, got, |out| {
        out[..filled].copy_from_slice(data);
        Ok(())
    })
    .map(Bound::unbind)
    .unwrap_or_else(|_| PyBytes::new(py, data).unbind())
}

/// Calls `f` with the bytes of a bytes-like object (CPython's `y*`).
///
/// These helpers take and return one `PyResult`, never a result inside a
/// result: a nested `PyResult<PyResult<_>>` made every hot call repack the
/// error's bytes on its way out, success included (seen in `perf annotate`
/// of `sendto`).
pub fn with_readable<R>(
    obj: &Bound<'_, PyAny>,
    f: impl FnOnce(&[u8]) -> PyResult<R>,
) -> PyResult<R> {
    bytes_like(obj, f, |err| bytes_like_hint(obj, err))
}

/// [`with_readable`] without the hint about sending text, for arguments that
/// are packed data rather than a message (`inet_ntoa`, `inet_ntop`).
pub fn with_bytes_like<R>(
    obj: &Bound<'_, PyAny>,
    f: impl FnOnce(&[u8]) -> PyResult<R>,
) -> PyResult<R> {
    bytes_like(obj, f, |err| err)
}

/// `y*`: `failed` turns the error of a refused export into the caller's.
fn bytes_like<R>(
    obj: &Bound<'_, PyAny>,
    f: impl FnOnce(&[u8]) -> PyResult<R>,
    failed: impl FnOnce(PyErr) -> PyErr,
) -> PyResult<R> {
    // bytes is by far the most common argument: read it without the protocol.
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return f(bytes.as_bytes());
    }
    with_view(obj, ffi::PyBUF_SIMPLE, failed, |ptr, len| {
        // An exporter may give a NULL pointer for an empty buffer, which a
        // slice must never hold.
        if len == 0 {
            return f(&[]);
        }
        // SAFETY: the exporter keeps `len` bytes at `ptr` alive until release.
        f(unsafe { std::slice::from_raw_parts(ptr as *const u8, len) })
    })
}

/// Calls `f` with the memory of a writable buffer (CPython's `w*`); `what` is
/// the function and argument named in the TypeError, e.g. `"recv_into() argument 'buffer'"`.
pub fn with_writable<R>(
    obj: &Bound<'_, PyAny>,
    what: &str,
    f: impl FnOnce(&mut [MaybeUninit<u8>]) -> PyResult<R>,
) -> PyResult<R> {
    let failed = |_| {
        PyTypeError::new_err(format!(
            "{what} must be read-write bytes-like object, not {}",
            crate::args::arg_type(obj)
        ))
    };
    with_view(obj, ffi::PyBUF_WRITABLE, failed, |ptr, len| {
        if len == 0 {
            return f(&mut []);
        }
        // SAFETY: the exporter keeps `len` writable bytes at `ptr` until the
        // view is released, after `f` returns; nothing else borrows them here.
        f(unsafe { std::slice::from_raw_parts_mut(ptr as *mut MaybeUninit<u8>, len) })
    })
}

/// Exports `obj`'s buffer with `flags`, calls `f` on it and releases it; a
/// refused export is `failed`'s error, and `f`'s errors pass unchanged.
fn with_view<R>(
    obj: &Bound<'_, PyAny>,
    flags: i32,
    failed: impl FnOnce(PyErr) -> PyErr,
    f: impl FnOnce(*mut std::ffi::c_void, usize) -> PyResult<R>,
) -> PyResult<R> {
    let mut view = MaybeUninit::<ffi::Py_buffer>::uninit();
    // SAFETY: on success the view is initialised and released below exactly
    // once; it is never moved in between.
    unsafe {
        if ffi::PyObject_GetBuffer(obj.as_ptr(), view.as_mut_ptr(), flags) != 0 {
            return Err(failed(PyErr::fetch(obj.py())));
        }
        let view = view.assume_init_mut();
        let out = f(view.buf, view.len as usize);
        ffi::PyBuffer_Release(view);
        out
    }
}

/// The lecture's Python 2 programs send `str`; keep CPython's message and
/// class, and add a note (PEP 678) that says how to fix it.
fn bytes_like_hint(obj: &Bound<'_, PyAny>, err: PyErr) -> PyErr {
    let py = obj.py();
    if obj.is_instance_of::<pyo3::types::PyString>() && err.is_instance_of::<PyTypeError>(py) {
        return crate::notes::add(py, err, "send_text", &[]);
    }
    err
}

/// Several writable buffers held at once, for `recvmsg_into`; the list is
/// allocated at its final size so no view moves once exported, and each is
/// released on drop.
pub struct WritableViews {
    views: Vec<MaybeUninit<ffi::Py_buffer>>,
}

impl WritableViews {
    /// Exports every item of `iterable` as a writable buffer, with CPython's
    /// message when `iterable` or one of its items does not fit.
    pub fn collect(iterable: &Bound<'_, PyAny>, caller: &str) -> PyResult<Self> {
        let not_iterable =
            || PyTypeError::new_err(format!("{caller}() argument 1 must be an iterable"));
        let items: Vec<_> = iterable
            .try_iter()
            .map_err(|_| not_iterable())?
            .collect::<PyResult<_>>()?;
        let mut out = WritableViews {
            views: Vec::with_capacity(items.len()),
        };
        for item in items {
            out.views.push(MaybeUninit::uninit());
            let view = out.views.last_mut().expect("just pushed");
            // SAFETY: the slot does not move (capacity is final); on success
            // it is initialised and Drop releases it, on failure it is removed.
            if unsafe {
                ffi::PyObject_GetBuffer(item.as_ptr(), view.as_mut_ptr(), ffi::PyBUF_WRITABLE)
            } != 0
            {
                out.views.pop();
                let _ = PyErr::take(iterable.py());
                return Err(PyTypeError::new_err(format!(
                    "{caller}() argument 1 must be an iterable of single-segment read-write buffers"
                )));
            }
        }
        Ok(out)
    }

    /// One iovec per buffer.
    pub fn iovecs(&mut self) -> Vec<libc::iovec> {
        self.views
            .iter_mut()
            .map(|v| {
                // SAFETY: every view in the list was initialised by GetBuffer.
                let v = unsafe { v.assume_init_mut() };
                libc::iovec {
                    iov_base: v.buf,
                    iov_len: v.len as usize,
                }
            })
            .collect()
    }
}

impl Drop for WritableViews {
    fn drop(&mut self) {
        for view in &mut self.views {
            // SAFETY: each view was initialised and is released once.
            unsafe { ffi::PyBuffer_Release(view.assume_init_mut()) };
        }
    }
}

/// One bytes-like object held for reading across a GIL-free call (for
/// `sendmmsg`, which sends many at once): `bytes` directly, anything else as
/// an exported buffer, which keeps a `bytearray` from being resized until the
/// view is dropped. Errors are those of [`with_readable`].
pub enum ReadableView<'py> {
    Bytes(Bound<'py, PyBytes>),
    // Boxed so the exported view never moves (an exporter may point into it).
    View(Box<MaybeUninit<ffi::Py_buffer>>),
}

impl<'py> ReadableView<'py> {
    pub fn new(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        if let Ok(bytes) = obj.cast::<PyBytes>() {
            return Ok(ReadableView::Bytes(bytes.clone()));
        }
        let mut view = Box::new(MaybeUninit::<ffi::Py_buffer>::uninit());
        // SAFETY: on success the view is initialised; Drop releases it once.
        if unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), view.as_mut_ptr(), ffi::PyBUF_SIMPLE) }
            != 0
        {
            return Err(bytes_like_hint(obj, PyErr::fetch(obj.py())));
        }
        Ok(ReadableView::View(view))
    }

    /// The bytes, valid while `self` lives.
    pub fn as_slice(&self) -> &[u8] {
        match self {
            ReadableView::Bytes(b) => b.as_bytes(),
            ReadableView::View(view) => {
                // SAFETY: initialised by GetBuffer; the exporter keeps `len`
                // bytes at `buf` until the release in Drop.
                let v = unsafe { view.assume_init_ref() };
                if v.len == 0 {
                    return &[];
                }
                // SAFETY: as above: `len` readable bytes at `buf`, kept by
                // the exporter for as long as `self` borrows them.
                unsafe { std::slice::from_raw_parts(v.buf as *const u8, v.len as usize) }
            }
        }
    }
}

impl Drop for ReadableView<'_> {
    fn drop(&mut self) {
        if let ReadableView::View(view) = self {
            // SAFETY: initialised by GetBuffer and released exactly once.
            unsafe { ffi::PyBuffer_Release(view.assume_init_mut()) };
        }
    }
}
