/* The thinnest binding: the ceiling of any socket layer that Python calls.
 *
 * sockets_floor.c measures the loops with no interpreter at all; this module
 * measures what is left once Python runs the same loops, as it does for
 * every binding, rnet included. `socket` is a plain C type holding an fd,
 * with the methods bench_sockets.py's workloads call, each the least a
 * correct binding can do: METH_O/METH_FASTCALL, no keywords, no timeout,
 * no audit hook, no ResourceWarning, IPv4 numeric addresses only, a stack
 * buffer, and the GIL released only where the call can block (small sends
 * are tried first with MSG_DONTWAIT, as rnet's are). A binding that keeps
 * the socket API does more than this, so thin/stdlib bounds its ratio.
 * Built and used by `bench_sockets.py --floor`; never part of rnet.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
    PyObject_HEAD
    int fd;
} Sock;

static PyTypeObject *SockType;

#define FD(self) (((Sock *)(self))->fd)

static PyObject *fail(void) { return PyErr_SetFromErrno(PyExc_OSError); }

/* A 2-tuple that takes over both references; NULL if either is NULL. */
static PyObject *pair(PyObject *a, PyObject *b) {
    PyObject *t = (a && b) ? PyTuple_New(2) : NULL;
    if (t == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, a);
    PyTuple_SET_ITEM(t, 1, b);
    return t;
}

static int parse_addr(PyObject *addr, struct sockaddr_in *out) {
    const char *host;
    long port;
    if (!PyTuple_Check(addr) || PyTuple_GET_SIZE(addr) != 2) {
        PyErr_SetString(PyExc_TypeError, "address must be (host, port)");
        return -1;
    }
    host = PyUnicode_AsUTF8(PyTuple_GET_ITEM(addr, 0));
    if (host == NULL) return -1;
    port = PyLong_AsLong(PyTuple_GET_ITEM(addr, 1));
    if (port == -1 && PyErr_Occurred()) return -1;
    if (port < 0 || port > 65535) {
        PyErr_SetString(PyExc_OverflowError, "port must be 0-65535.");
        return -1;
    }
    *out = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    if (inet_pton(AF_INET, host, &out->sin_addr) != 1) {
        PyErr_SetString(PyExc_ValueError, "numeric IPv4 hosts only");
        return -1;
    }
    return 0;
}

/* Dotted quad by hand: glibc's inet_ntop goes through sprintf, ~1,500
 * instructions that a thin binding need not spend. */
static PyObject *addr_tuple(const struct sockaddr_in *a) {
    char text[INET_ADDRSTRLEN], *out = text;
    const unsigned char *octet = (const unsigned char *)&a->sin_addr;
    for (int i = 0; i < 4; i++) {
        unsigned v = octet[i];
        if (v >= 100) *out++ = (char)('0' + v / 100);
        if (v >= 10) *out++ = (char)('0' + v / 10 % 10);
        *out++ = (char)('0' + v % 10);
        *out++ = '.';
    }
    return pair(PyUnicode_FromStringAndSize(text, out - text - 1),
                PyLong_FromLong(ntohs(a->sin_port)));
}

static PyObject *wrap(int fd) {
    Sock *s = PyObject_New(Sock, SockType);
    if (s == NULL) {
        close(fd);
        return NULL;
    }
    s->fd = fd;
    return (PyObject *)s;
}

/* socket(family, type) */
static PyObject *sock_new(PyTypeObject *Py_UNUSED(type), PyObject *args,
                          PyObject *Py_UNUSED(kwds)) {
    int family, kind, fd;
    if (!PyArg_ParseTuple(args, "ii", &family, &kind)) return NULL;
    fd = socket(family, kind | SOCK_CLOEXEC, 0);
    return fd < 0 ? fail() : wrap(fd);
}

static void sock_dealloc(PyObject *self) {
    PyTypeObject *type = Py_TYPE(self);
    if (FD(self) >= 0) close(FD(self));
    PyObject_Free(self);
    Py_DECREF(type); /* instances of a heap type hold a reference to it */
}

/* The blocking call `expr` with the GIL released, retried on EINTR unless
 * a signal handler raised (PEP 475). */
#define BLOCKING(result, expr)                                                 \
    do {                                                                       \
        Py_BEGIN_ALLOW_THREADS result = (expr);                                \
        Py_END_ALLOW_THREADS                                                   \
    } while (result < 0 && errno == EINTR && !PyErr_CheckSignals())

#define RESULT(n) ((n) < 0 ? (PyErr_Occurred() ? NULL : fail()) : PyLong_FromSsize_t(n))

/* RESULT(n) after releasing `view`, with the call's errno kept across it. */
static PyObject *released(Py_buffer *view, ssize_t n) {
    int saved = errno;
    PyBuffer_Release(view);
    errno = saved;
    return RESULT(n);
}

static PyObject *sock_send(PyObject *self, PyObject *data) {
    Py_buffer view;
    ssize_t n;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) return NULL;
    n = send(FD(self), view.buf, view.len, MSG_DONTWAIT);
    if (n < 0 && errno == EAGAIN) BLOCKING(n, send(FD(self), view.buf, view.len, 0));
    return released(&view, n);
}

static PyObject *sock_sendall(PyObject *self, PyObject *data) {
    Py_buffer view;
    ssize_t n = 0, done = 0;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) return NULL;
    while (done < view.len && n >= 0) {
        BLOCKING(n, send(FD(self), (char *)view.buf + done, view.len - done, 0));
        done += n > 0 ? n : 0;
    }
    if (n < 0) return released(&view, n);
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

static PyObject *sock_sendto(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    struct sockaddr_in to;
    Py_buffer view;
    ssize_t n;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "sendto(data, address)");
        return NULL;
    }
    if (parse_addr(args[1], &to) < 0) return NULL;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) < 0) return NULL;
    n = sendto(FD(self), view.buf, view.len, MSG_DONTWAIT, (void *)&to, sizeof to);
    if (n < 0 && errno == EAGAIN)
        BLOCKING(n, sendto(FD(self), view.buf, view.len, 0, (void *)&to, sizeof to));
    return released(&view, n);
}

static Py_ssize_t wanted(PyObject *arg, size_t room) {
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n < 0 && !PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "negative buffersize");
    return n > (Py_ssize_t)room ? (Py_ssize_t)room : n;
}

/* recv(n), n at most 64 KiB here. */
static PyObject *sock_recv(PyObject *self, PyObject *arg) {
    char buf[65536];
    ssize_t got;
    Py_ssize_t n = wanted(arg, sizeof buf);
    if (n < 0) return NULL;
    BLOCKING(got, recv(FD(self), buf, n, 0));
    if (got < 0) return RESULT(got);
    return PyBytes_FromStringAndSize(buf, got);
}

static PyObject *sock_recv_into(PyObject *self, PyObject *arg) {
    Py_buffer view;
    ssize_t got;
    if (PyObject_GetBuffer(arg, &view, PyBUF_WRITABLE) < 0) return NULL;
    BLOCKING(got, recv(FD(self), view.buf, view.len, 0));
    return released(&view, got);
}

static PyObject *sock_recvfrom(PyObject *self, PyObject *arg) {
    char buf[65536];
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    ssize_t got;
    Py_ssize_t n = wanted(arg, sizeof buf);
    if (n < 0) return NULL;
    BLOCKING(got, recvfrom(FD(self), buf, n, 0, (void *)&from, &len));
    if (got < 0) return RESULT(got);
    return pair(PyBytes_FromStringAndSize(buf, got), addr_tuple(&from));
}

static PyObject *sock_connect(PyObject *self, PyObject *addr) {
    struct sockaddr_in to;
    int rc;
    if (parse_addr(addr, &to) < 0) return NULL;
    BLOCKING(rc, connect(FD(self), (void *)&to, sizeof to));
    if (rc < 0) return RESULT(rc);
    Py_RETURN_NONE;
}

static PyObject *sock_accept(PyObject *self, PyObject *Py_UNUSED(ignored)) {
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    int fd;
    BLOCKING(fd, accept4(FD(self), (void *)&from, &len, SOCK_CLOEXEC));
    if (fd < 0) {
        if (errno == EAGAIN) return PyErr_SetFromErrno(PyExc_BlockingIOError);
        return RESULT(fd);
    }
    return pair(wrap(fd), addr_tuple(&from));
}

static PyObject *sock_close(PyObject *self, PyObject *Py_UNUSED(ignored)) {
    if (FD(self) >= 0) close(FD(self));
    FD(self) = -1;
    Py_RETURN_NONE;
}

/* The rest is set-up, not timed: plain and unhurried. */

static PyObject *sock_bind(PyObject *self, PyObject *addr) {
    struct sockaddr_in a;
    if (parse_addr(addr, &a) < 0) return NULL;
    if (bind(FD(self), (void *)&a, sizeof a) < 0) return fail();
    Py_RETURN_NONE;
}

static PyObject *sock_listen(PyObject *self, PyObject *arg) {
    int backlog = PyLong_AsLong(arg);
    if (backlog == -1 && PyErr_Occurred()) return NULL;
    if (listen(FD(self), backlog) < 0) return fail();
    Py_RETURN_NONE;
}

static PyObject *sock_shutdown(PyObject *self, PyObject *arg) {
    int how = PyLong_AsLong(arg);
    if (how == -1 && PyErr_Occurred()) return NULL;
    if (shutdown(FD(self), how) < 0) return fail();
    Py_RETURN_NONE;
}

static PyObject *sock_getsockname(PyObject *self, PyObject *Py_UNUSED(ignored)) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    if (getsockname(FD(self), (void *)&a, &len) < 0) return fail();
    return addr_tuple(&a);
}

/* setsockopt(level, option, int or bytes) */
static PyObject *sock_setsockopt(PyObject *self, PyObject *args) {
    int level, option, flag;
    Py_buffer view;
    int rc;
    if (PyArg_ParseTuple(args, "iii", &level, &option, &flag))
        rc = setsockopt(FD(self), level, option, &flag, sizeof flag);
    else {
        PyErr_Clear();
        if (!PyArg_ParseTuple(args, "iiy*", &level, &option, &view)) return NULL;
        rc = setsockopt(FD(self), level, option, view.buf, view.len);
        PyBuffer_Release(&view);
    }
    if (rc < 0) return fail();
    Py_RETURN_NONE;
}

/* settimeout(seconds), for the listener's accept only: SO_RCVTIMEO, so an
 * accept that waits longer fails instead of hanging. */
static PyObject *sock_settimeout(PyObject *self, PyObject *arg) {
    double t = PyFloat_AsDouble(arg);
    struct timeval tv;
    if (t == -1.0 && PyErr_Occurred()) return NULL;
    tv.tv_sec = (time_t)t;
    tv.tv_usec = (suseconds_t)((t - (double)tv.tv_sec) * 1e6);
    if (setsockopt(FD(self), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0) return fail();
    Py_RETURN_NONE;
}

static PyObject *sock_fileno(PyObject *self, PyObject *Py_UNUSED(ignored)) {
    return PyLong_FromLong(FD(self));
}

static PyObject *sock_enter(PyObject *self, PyObject *Py_UNUSED(ignored)) {
    return Py_NewRef(self);
}

static PyObject *sock_exit(PyObject *self, PyObject *Py_UNUSED(args)) {
    return sock_close(self, NULL);
}

static PyMethodDef sock_methods[] = {
    {"send", sock_send, METH_O, NULL},
    {"sendall", sock_sendall, METH_O, NULL},
    {"sendto", (PyCFunction)(void (*)(void))sock_sendto, METH_FASTCALL, NULL},
    {"recv", sock_recv, METH_O, NULL},
    {"recv_into", sock_recv_into, METH_O, NULL},
    {"recvfrom", sock_recvfrom, METH_O, NULL},
    {"connect", sock_connect, METH_O, NULL},
    {"accept", sock_accept, METH_NOARGS, NULL},
    {"close", sock_close, METH_NOARGS, NULL},
    {"bind", sock_bind, METH_O, NULL},
    {"listen", sock_listen, METH_O, NULL},
    {"shutdown", sock_shutdown, METH_O, NULL},
    {"getsockname", sock_getsockname, METH_NOARGS, NULL},
    {"setsockopt", sock_setsockopt, METH_VARARGS, NULL},
    {"settimeout", sock_settimeout, METH_O, NULL},
    {"fileno", sock_fileno, METH_NOARGS, NULL},
    {"__enter__", sock_enter, METH_NOARGS, NULL},
    {"__exit__", sock_exit, METH_VARARGS, NULL},
    {NULL},
};

static PyType_Slot sock_slots[] = {
    {Py_tp_new, sock_new},
    {Py_tp_dealloc, sock_dealloc},
    {Py_tp_methods, sock_methods},
    {0, NULL},
};

static PyType_Spec sock_spec = {
    .name = "thin_binding.socket",
    .basicsize = sizeof(Sock),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = sock_slots,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "thin_binding", .m_size = -1,
};

PyMODINIT_FUNC PyInit_thin_binding(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    SockType = (PyTypeObject *)PyType_FromSpec(&sock_spec);
    if (SockType == NULL || PyModule_AddObjectRef(m, "socket", (PyObject *)SockType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
