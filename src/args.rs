//! CPython's argument conventions for the module functions, with its messages
//! word for word: the calling conventions (`METH_VARARGS`, `METH_O`,
//! `METH_NOARGS`) and the `PyArg_ParseTuple` format units the socket module
//! uses (`i`, `n`, `I`, `s`, `et` with "idna", the file-system converter).
//!
//! PyO3's own extraction raises different messages ("missing 1 required
//! positional argument", "out of range integral type conversion attempted"),
//! so these functions take `*args, **kwargs` and parse them here.

use std::ffi::{c_long, c_ulong, CStr, CString};

use pyo3::exceptions::{PyOverflowError, PySystemError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString, PyTuple};

/// Positional arguments of a `METH_VARARGS` function parsed by
/// `PyArg_ParseTuple(args, "...:name")`, which takes `min..=max` of them.
pub fn varargs<'py>(
    name: &str,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
    min: usize,
    max: usize,
) -> PyResult<Given<'py>> {
    no_keywords("", name, kwargs)?;
    count(name, args, min, max)?;
    Given::of(args)
}

/// The positional arguments of a `METH_VARARGS` call, at most [`Given::MAX`]
/// of them, held without an allocation: every lookup parses one.
pub struct Given<'py> {
    items: [Option<Bound<'py, PyAny>>; Given::MAX],
}

impl<'py> Given<'py> {
    /// The most any of the module's `METH_VARARGS` callables takes (sendmsg).
    pub const MAX: usize = 4;

    /// The arguments of a call whose count was checked.
    pub fn of(args: &Bound<'py, PyTuple>) -> PyResult<Self> {
        let len = args.len();
        if len > Self::MAX {
            return Err(PySystemError::new_err(
                "too many arguments for rnet's parser",
            ));
        }
        let mut items = [None, None, None, None];
        for (slot, item) in items.iter_mut().zip(args.iter()) {
            *slot = Some(item);
        }
        Ok(Given { items })
    }

    pub fn get(&self, i: usize) -> Option<&Bound<'py, PyAny>> {
        self.items.get(i)?.as_ref()
    }

    pub fn first(&self) -> Option<&Bound<'py, PyAny>> {
        self.get(0)
    }

    /// The first argument, owned (for a callable that takes exactly one).
    pub fn into_first(self) -> Option<Bound<'py, PyAny>> {
        let [first, ..] = self.items;
        first
    }
}

impl<'py> std::ops::Index<usize> for Given<'py> {
    type Output = Bound<'py, PyAny>;

    /// An argument the count check guaranteed.
    fn index(&self, i: usize) -> &Self::Output {
        self.get(i).expect("argument count checked")
    }
}

/// [`varargs`]' checks for a method of the socket class, whose name CPython
/// qualifies (`socket.listen()`) when it refuses keywords; the arguments are
/// then `Given::of(args)`, or read from the tuple (`sendto`).
pub fn method_arity(
    name: &str,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
    min: usize,
    max: usize,
) -> PyResult<()> {
    no_keywords("socket.", name, kwargs)?;
    count(name, args, min, max)
}

/// `PyArg_ParseTuple`'s count check, with its message.
fn count(name: &str, args: &Bound<'_, PyTuple>, min: usize, max: usize) -> PyResult<()> {
    let given = args.len();
    if given < min || given > max {
        let (how, n) = match (min == max, given < min) {
            (true, _) => ("exactly", min),
            (false, true) => ("at least", min),
            (false, false) => ("at most", max),
        };
        let plural = if n == 1 { "" } else { "s" };
        return Err(PyTypeError::new_err(format!(
            "{name}() takes {how} {n} argument{plural} ({given} given)"
        )));
    }
    Ok(())
}

/// No arguments, refused with the messages of a Python method `def
/// name(self)`, for methods that `Lib/socket.py` writes in Python: a keyword
/// is named first, then the count includes `self`.
pub fn python_method_noargs(
    name: &str,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<()> {
    if let Some(key) = kwargs.and_then(|k| k.keys().iter().next()) {
        return Err(PyTypeError::new_err(format!(
            "socket.{name}() got an unexpected keyword argument '{key}'"
        )));
    }
    if !args.is_empty() {
        return Err(PyTypeError::new_err(format!(
            "socket.{name}() takes 1 positional argument but {} were given",
            args.len() + 1
        )));
    }
    Ok(())
}

/// The single argument of a `METH_O` method of the socket class, with
/// CPython's wording (`socket.bind() takes exactly one argument (2 given)`).
pub fn method_single<'py>(
    name: &str,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    one_argument("socket.", name, args, kwargs)
}

/// The single argument of a `METH_O` function; CPython names it with its
/// module in these messages (`_socket.close()`), so rnet does too.
pub fn single<'py>(
    name: &str,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    one_argument("_socket.", name, args, kwargs)
}

/// `METH_O`'s checks, the callable named `{prefix}{name}` in the messages.
fn one_argument<'py>(
    prefix: &str,
    name: &str,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    no_keywords(prefix, name, kwargs)?;
    if args.len() != 1 {
        return Err(PyTypeError::new_err(format!(
            "{prefix}{name}() takes exactly one argument ({} given)",
            args.len()
        )));
    }
    args.get_item(0)
}

/// A `METH_NOARGS` function's check that it got nothing.
pub fn none(
    name: &str,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<()> {
    no_keywords("_socket.", name, kwargs)?;
    if !args.is_empty() {
        return Err(PyTypeError::new_err(format!(
            "_socket.{name}() takes no arguments ({} given)",
            args.len()
        )));
    }
    Ok(())
}

/// The callable is named `{prefix}{name}`; the two are joined only when the
/// message is built, so the calls that pass pay for no formatting.
fn no_keywords(prefix: &str, name: &str, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
    match kwargs {
        Some(kw) if !kw.is_empty() => Err(PyTypeError::new_err(format!(
            "{prefix}{name}() takes no keyword arguments"
        ))),
        _ => Ok(()),
    }
}

/// The type name CPython prints in its messages (`tp_name`), the one every
/// message of rnet uses: dotted for static types outside builtins
/// (`datetime.date`), plain otherwise.
pub fn tp_name(obj: &Bound<'_, PyAny>) -> String {
    let ty = obj.get_type();
    let name = ty.name().map(|n| n.to_string()).unwrap_or_default();
    // SAFETY: `ty` is a valid type object.
    let flags = unsafe { ffi::PyType_GetFlags(ty.as_type_ptr()) };
    if flags & ffi::Py_TPFLAGS_HEAPTYPE == 0 {
        if let Ok(module) = ty.module() {
            if module.to_cow().is_ok_and(|m| m != "builtins") {
                return format!("{module}.{name}");
            }
        }
    }
    name
}

/// `PyArg_ParseTuple`'s name for the argument's type: None is "None".
pub fn arg_type(obj: &Bound<'_, PyAny>) -> String {
    if obj.is_none() {
        "None".into()
    } else {
        tp_name(obj)
    }
}

/// `pos` 0 is a function's only argument, which Argument Clinic does not number.
fn bad_argument(fname: &str, pos: usize, expected: &str, obj: &Bound<'_, PyAny>) -> PyErr {
    let which = match pos {
        0 => "argument".to_string(),
        n => format!("argument {n}"),
    };
    PyTypeError::new_err(format!(
        "{fname}() {which} must be {expected}, not {}",
        arg_type(obj)
    ))
}

/// `PyLong_AsLong`: any object with `__index__`, C long range.
pub fn c_long(obj: &Bound<'_, PyAny>) -> PyResult<c_long> {
    // SAFETY: `obj` is a valid object and we hold the GIL.
    let value = unsafe { ffi::PyLong_AsLong(obj.as_ptr()) };
    check(obj.py(), value == -1, value)
}

/// The `i` format unit: a C long that must also fit a C int.
pub fn c_int(obj: &Bound<'_, PyAny>) -> PyResult<i32> {
    let value = c_long(obj)?;
    i32::try_from(value).map_err(|_| {
        PyOverflowError::new_err(if value > 0 {
            "signed integer is greater than maximum"
        } else {
            "signed integer is less than minimum"
        })
    })
}

/// The `n` format unit: `__index__`, then a Py_ssize_t.
pub fn c_ssize(obj: &Bound<'_, PyAny>) -> PyResult<isize> {
    let py = obj.py();
    // SAFETY: `obj` is valid; the new reference is owned by the Bound.
    let index = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyNumber_Index(obj.as_ptr()))? };
    // SAFETY: `index` is an int.
    let value = unsafe { ffi::PyLong_AsSsize_t(index.as_ptr()) };
    check(py, value == -1, value)
}

/// `PyLong_AsUnsignedLong` on an object already known to be an int.
pub fn c_ulong(obj: &Bound<'_, PyAny>) -> PyResult<c_ulong> {
    // SAFETY: `obj` is a valid int and we hold the GIL.
    let value = unsafe { ffi::PyLong_AsUnsignedLong(obj.as_ptr()) };
    check(obj.py(), value == c_ulong::MAX, value)
}

/// The `I` format unit: `__index__`, then the low 32 bits, without a range check.
pub fn c_uint_mask(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    let py = obj.py();
    // SAFETY: `obj` is valid; the new reference is owned by the Bound.
    let index = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyNumber_Index(obj.as_ptr()))? };
    // SAFETY: `index` is an int; the mask conversion never overflows.
    let value = unsafe { ffi::PyLong_AsUnsignedLongMask(index.as_ptr()) };
    check(py, value == c_ulong::MAX, value as u32)
}

/// Turns a C API "error value" into the pending exception, if one is set; a
/// sentinel without an exception is a real value.
fn check<T>(py: Python<'_>, sentinel: bool, value: T) -> PyResult<T> {
    if sentinel {
        if let Some(err) = PyErr::take(py) {
            return Err(err);
        }
    }
    Ok(value)
}

/// CPython's error when a C function returns NULL with no exception set,
/// which `if_indextoname(2**64 - 1)` does (in the wording of a call written
/// out; through `f(*args)` CPython says "error return without exception set").
pub fn null_without_error(fname: &str) -> PyErr {
    PyErr::new::<PySystemError, _>(format!(
        "<built-in function {fname}> returned NULL without setting an exception"
    ))
}

/// The `s` format unit: a str without NUL, as UTF-8.
pub fn c_str<'a>(obj: &'a Bound<'_, PyAny>, fname: &str, pos: usize) -> PyResult<&'a CStr> {
    let text = obj
        .cast::<PyString>()
        .map_err(|_| bad_argument(fname, pos, "str", obj))?;
    let mut size: ffi::Py_ssize_t = 0;
    // SAFETY: `text` is a str; the UTF-8 it returns is cached in the object,
    // NUL-terminated, and lives as long as the object `obj` keeps alive.
    let utf8 = unsafe { ffi::PyUnicode_AsUTF8AndSize(text.as_ptr(), &mut size) };
    if utf8.is_null() {
        return Err(PyErr::fetch(obj.py()));
    }
    // SAFETY: `size` bytes and the terminating NUL, as documented.
    let bytes = unsafe { std::slice::from_raw_parts(utf8.cast::<u8>(), size as usize + 1) };
    CStr::from_bytes_with_nul(bytes).map_err(|_| PyValueError::new_err("embedded null character"))
}

/// The `et` format unit with the "idna" codec: str is encoded (ASCII too, so
/// the codec's label checks apply), bytes and bytearray are taken as they are.
pub fn c_idna(obj: &Bound<'_, PyAny>, fname: &str, pos: usize) -> PyResult<CString> {
    let raw = if obj.is_instance_of::<PyString>() {
        idna_encode(obj)?.as_bytes().to_vec()
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        b.to_vec()
    } else {
        return Err(bad_argument(fname, pos, "str, bytes or bytearray", obj));
    };
    CString::new(raw)
        .map_err(|_| bad_argument(fname, pos, "encoded string without null bytes", obj))
}

/// `PyUnicode_AsEncodedString(obj, "idna", NULL)`: the codec's own errors.
pub fn idna_encode<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
    let py = obj.py();
    // SAFETY: `obj` is a str; the encoding name is a NUL-terminated literal;
    // the new reference is owned by the Bound.
    let encoded = unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            ffi::PyUnicode_AsEncodedString(obj.as_ptr(), c"idna".as_ptr(), std::ptr::null()),
        )?
    };
    Ok(encoded.cast_into::<PyBytes>()?)
}

/// A C string cut at its first NUL, as C code sees a Python buffer.
pub fn c_truncated(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).unwrap_or_default()
}

/// `PyUnicode_FSConverter`: str (file-system encoding), bytes or a path-like,
/// without NUL.
pub fn fs_path(obj: &Bound<'_, PyAny>) -> PyResult<CString> {
    let encoded = obj.py().import("os")?.call_method1("fsencode", (obj,))?;
    let bytes = encoded.cast_into::<PyBytes>()?;
    CString::new(bytes.as_bytes()).map_err(|_| PyValueError::new_err("embedded null byte"))
}

/// `PyUnicode_EncodeFSDefault`: a str in the file-system encoding (PEP 383).
pub fn fs_encode<'py>(s: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyBytes>> {
    // SAFETY: `s` is a str; the new reference is owned by the Bound.
    let encoded = unsafe {
        Bound::from_owned_ptr_or_err(s.py(), ffi::PyUnicode_EncodeFSDefault(s.as_ptr()))?
    };
    Ok(encoded.cast_into::<PyBytes>()?)
}

/// `PyUnicode_DecodeFSDefault`: what CPython makes of names the system gives.
pub fn fs_decode<'py>(py: Python<'py>, bytes: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: `bytes` is valid for its length; the new reference is owned.
    unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            ffi::PyUnicode_DecodeFSDefaultAndSize(bytes.as_ptr().cast(), bytes.len() as isize),
        )
    }
}

/// `PyUnicode_FromString`: strict UTF-8, CPython's UnicodeDecodeError otherwise.
pub fn utf8<'py>(py: Python<'py>, bytes: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: `bytes` is valid for its length; the new reference is owned.
    unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            ffi::PyUnicode_DecodeUTF8(
                bytes.as_ptr().cast(),
                bytes.len() as isize,
                std::ptr::null(),
            ),
        )
    }
}

/// A method argument parsed like CPython's `i` format unit, so an int out of
/// range reads "signed integer is greater than maximum" as there.
pub struct CInt(pub i32);

impl<'py> FromPyObject<'_, 'py> for CInt {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        c_int(&obj).map(CInt)
    }
}

/// A method argument parsed like CPython's `n` format unit (Py_ssize_t).
pub struct CSsize(pub isize);

impl<'py> FromPyObject<'_, 'py> for CSsize {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        c_ssize(&obj).map(CSsize)
    }
}

/// An argument read with CPython's `_PyLong_AsInt` (Argument Clinic's `int`),
/// whose only overflow message is "Python int too large to convert to C int".
pub struct AsInt(pub i32);

impl<'py> FromPyObject<'_, 'py> for AsInt {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        let too_large = || PyOverflowError::new_err("Python int too large to convert to C int");
        match c_long(&obj) {
            Ok(value) => i32::try_from(value).map(AsInt).map_err(|_| too_large()),
            Err(err) if err.is_instance_of::<PyOverflowError>(obj.py()) => Err(too_large()),
            Err(err) => Err(err),
        }
    }
}

/// An optional argument taken as given and converted later, for methods
/// whose first argument CPython converts before the others (`"y*|i"`,
/// `"w*|ni"`): PyO3 would convert the later ones first.
pub struct Later<'py>(pub Option<Bound<'py, PyAny>>);

impl<'py> FromPyObject<'_, 'py> for Later<'py> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        Ok(Later(Some(obj.to_owned())))
    }
}

impl Later<'_> {
    /// Not given.
    pub const ABSENT: Later<'static> = Later(None);

    /// The `i` format unit, or `default` when not given.
    pub fn c_int_or(&self, default: i32) -> PyResult<i32> {
        self.0.as_ref().map_or(Ok(default), c_int)
    }
}

/// Arguments parsed as `PyArg_ParseTupleAndKeywords` parses them, for
/// parameters that are all positional-or-keyword, the first `min` required.
/// Its two checks made after the conversions (an argument given by name and
/// by position; an unknown keyword) wait in `late` for [`Keywords::finish`].
pub struct Keywords<'py> {
    pub values: Vec<Option<Bound<'py, PyAny>>>,
    late: Option<PyErr>,
}

impl<'py> Keywords<'py> {
    pub fn parse(
        fname: &str,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
        names: &[&str],
        min: usize,
    ) -> PyResult<Self> {
        let nargs = args.len();
        let nkwargs = kwargs.map_or(0, |k| k.len());
        if nargs + nkwargs > names.len() {
            let n = names.len();
            return Err(PyTypeError::new_err(format!(
                "{fname}() takes at most {n} {}argument{} ({} given)",
                if nargs == 0 { "keyword " } else { "" },
                if n == 1 { "" } else { "s" },
                nargs + nkwargs
            )));
        }
        let mut values = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            let value = if i < nargs {
                Some(args.get_item(i)?)
            } else {
                match kwargs {
                    Some(k) => k.get_item(name)?,
                    None => None,
                }
            };
            if value.is_none() && i < min {
                return Err(PyTypeError::new_err(format!(
                    "{fname}() missing required argument '{name}' (pos {})",
                    i + 1
                )));
            }
            values.push(value);
        }
        let mut late = None;
        if let Some(k) = kwargs {
            for (i, name) in names.iter().enumerate().take(nargs) {
                if k.contains(name)? {
                    late = Some(PyTypeError::new_err(format!(
                        "argument for {fname}() given by name ('{name}') and position ({})",
                        i + 1
                    )));
                    break;
                }
            }
            if late.is_none() {
                for key in k.keys() {
                    let known = key
                        .extract::<String>()
                        .is_ok_and(|s| names.contains(&s.as_str()));
                    if !known {
                        late = Some(PyTypeError::new_err(format!(
                            "'{key}' is an invalid keyword argument for {fname}()"
                        )));
                        break;
                    }
                }
            }
        }
        Ok(Keywords { values, late })
    }

    /// The `i` format unit for argument `i`, or `default` when not given.
    pub fn c_int_or(&self, i: usize, default: i32) -> PyResult<i32> {
        self.values[i].as_ref().map_or(Ok(default), c_int)
    }

    /// The `n` format unit for argument `i`, or `default` when not given.
    pub fn c_ssize_or(&self, i: usize, default: isize) -> PyResult<isize> {
        self.values[i].as_ref().map_or(Ok(default), c_ssize)
    }

    /// The checks CPython makes once every argument is converted.
    pub fn finish(&mut self) -> PyResult<()> {
        self.late.take().map_or(Ok(()), Err)
    }
}
