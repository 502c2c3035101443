//! LSP base-protocol frames: `Content-Length: N\r\n` (other headers tolerated), a blank line,
//! then N bytes of body. Reading them from any `AsyncRead`, and writing them canonically.
//!
//! This reader exists because tower-lsp stops serving at its first bad frame. Here a bad header
//! block is reported and the reader resynchronises on the next `Content-Length:`; only the end
//! of the input ends it. It knows nothing of JSON: bodies are bytes (see `message.rs`).

use std::fmt;
use std::io;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use tokio::io::{AsyncRead, AsyncReadExt};

/// The largest header block accepted. Real clients send one or two short headers.
pub const MAX_HEADER_BYTES: usize = 8 * 1024;

/// The largest body accepted. A brief of several megabytes sent whole on `didOpen` fits well;
/// a bigger one is almost certainly a corrupt length, not a document.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

const READ_CHUNK: usize = 64 * 1024;
const CONTENT_LENGTH: &str = "Content-Length:";

/// Finds where the next frame may start after a bad header block. Header names are
/// case-insensitive, so the search is too.
static FRAME_START: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([CONTENT_LENGTH])
        .ok()
});

/// What the reader found next in its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A whole body, byte for byte as sent.
    Body(Vec<u8>),
    /// A header block that cannot be read. The reader skips ahead to the next
    /// `Content-Length:` before reading again.
    BadHeader(HeaderError),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// The `Content-Length` value is not a number.
    InvalidLength(String),
    /// Two `Content-Length` headers that disagree.
    ConflictingLength,
    /// A header block without `Content-Length`.
    MissingLength,
    /// A line that is not `Name: value`.
    MalformedLine(String),
    /// A header block longer than [`MAX_HEADER_BYTES`] without its blank line.
    HeaderTooLarge,
    /// A `Content-Length` above [`MAX_BODY_BYTES`].
    BodyTooLarge(u64),
    /// Bytes that are not a header, right before a `Content-Length:` in the middle of a line:
    /// the tail of a body cut short (its length promised more than was sent), or junk glued
    /// to the next frame. Reading goes on at that `Content-Length:`.
    StrayBytes(usize),
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderError::InvalidLength(value) => {
                write!(f, "Content-Length is not a number: {value:?}")
            }
            HeaderError::ConflictingLength => write!(f, "two Content-Length headers disagree"),
            HeaderError::MissingLength => write!(f, "header block without Content-Length"),
            HeaderError::MalformedLine(line) => write!(f, "malformed header line: {line:?}"),
            HeaderError::HeaderTooLarge => {
                write!(f, "header block longer than {MAX_HEADER_BYTES} bytes")
            }
            HeaderError::BodyTooLarge(length) => write!(
                f,
                "Content-Length {length} is above the limit of {MAX_BODY_BYTES} bytes"
            ),
            HeaderError::StrayBytes(count) => {
                write!(f, "{count} bytes that are not a header before a frame")
            }
        }
    }
}

/// Where a `Content-Length:` starts in `line` after its first byte, if it does.
fn embedded_frame_start(line: &[u8]) -> Option<usize> {
    let searcher = FRAME_START.as_ref()?;
    let rest = line.get(1..)?;
    searcher.find(rest).map(|found| found.start() + 1)
}

/// The bytes of one frame with `body`, in the canonical form (one `Content-Length` header).
pub fn encode(body: &[u8]) -> Vec<u8> {
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    let mut frame = Vec::with_capacity(header.len() + body.len());
    frame.extend_from_slice(header.as_bytes());
    frame.extend_from_slice(body);
    frame
}

/// Reads frames one after another. Owns its buffer so that it can search across reads when
/// resynchronising and cap every line it reads.
pub struct FrameReader<R> {
    reader: R,
    buffer: Vec<u8>,
    /// Where the unread bytes start in `buffer`.
    start: usize,
    /// Set after a bad header block: skip to the next `Content-Length:` before reading.
    resync: bool,
}

enum Line {
    /// A line without its `\n` (and without a `\r` before it).
    Complete(Vec<u8>),
    /// The line would take the header block past [`MAX_HEADER_BYTES`]; what was scanned of it
    /// has been consumed, so reading always moves forward.
    TooLong,
    /// A `Content-Length:` starts inside the line, after this many bytes, which have been
    /// consumed: the next read starts at the `Content-Length:`.
    Stray(usize),
    /// The input ended first.
    End,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    pub fn new(reader: R) -> Self {
        FrameReader {
            reader,
            buffer: Vec::new(),
            start: 0,
            resync: false,
        }
    }

    /// The next frame, or `None` when the input ends (a frame cut short by the end of input
    /// counts as the end: the client is gone).
    pub async fn next_frame(&mut self) -> io::Result<Option<Frame>> {
        if self.resync {
            self.resync = false;
            if !self.skip_to_frame_start().await? {
                return Ok(None);
            }
        }
        let length = match self.read_header_block().await? {
            None => return Ok(None),
            Some(Ok(length)) => length,
            Some(Err(error)) => {
                // Stray bytes end right where a frame starts: nothing to skip.
                self.resync = !matches!(error, HeaderError::StrayBytes(_));
                return Ok(Some(Frame::BadHeader(error)));
            }
        };
        Ok(self.read_body(length).await?.map(Frame::Body))
    }

    /// `Ok(length)` for a good header block, `Err` for a bad one, `None` at the end of input.
    async fn read_header_block(&mut self) -> io::Result<Option<Result<usize, HeaderError>>> {
        let mut used = 0;
        let mut length: Option<Result<u64, HeaderError>> = None;
        let mut lines = 0;
        loop {
            let line = match self.read_line(MAX_HEADER_BYTES - used).await? {
                Line::Complete(line) => line,
                Line::TooLong => return Ok(Some(Err(HeaderError::HeaderTooLarge))),
                Line::Stray(count) => return Ok(Some(Err(HeaderError::StrayBytes(count)))),
                Line::End => return Ok(None),
            };
            used += line.len() + 1;
            if line.is_empty() {
                // Stray blank lines between frames are harmless: skip them.
                if lines == 0 {
                    continue;
                }
                break;
            }
            lines += 1;
            let text = String::from_utf8_lossy(&line);
            let Some((name, value)) = text.split_once(':') else {
                length = Some(Err(HeaderError::MalformedLine(text.into_owned())));
                continue;
            };
            if !name.trim().eq_ignore_ascii_case("content-length") || matches!(length, Some(Err(_)))
            {
                continue;
            }
            let value = value.trim();
            let parsed = value
                .parse::<u64>()
                .map_err(|_| HeaderError::InvalidLength(value.to_string()));
            length = Some(match (length, parsed) {
                (Some(Ok(before)), Ok(now)) if before != now => Err(HeaderError::ConflictingLength),
                (_, parsed) => parsed,
            });
        }
        let length = match length {
            None => Err(HeaderError::MissingLength),
            Some(Ok(length)) => match usize::try_from(length) {
                Ok(length) if length <= MAX_BODY_BYTES => Ok(length),
                _ => Err(HeaderError::BodyTooLarge(length)),
            },
            Some(Err(error)) => Err(error),
        };
        Ok(Some(length))
    }

    /// Reads one line of at most `limit` bytes, `\n` included. A `Content-Length:` that does
    /// not open the line ends it early (see [`Line::Stray`]): when a body is cut short, the
    /// next frame's header is glued to its tail, and skipping the whole line would lose that
    /// frame as well.
    async fn read_line(&mut self, limit: usize) -> io::Result<Line> {
        let mut scanned = 0;
        loop {
            let unread = &self.buffer[self.start..];
            let newline = memchr::memchr(b'\n', &unread[scanned..]).map(|at| scanned + at);
            let extent = newline.map_or(unread.len(), |end| end + 1).min(limit);
            if let Some(at) = embedded_frame_start(&unread[..extent]) {
                self.start += at;
                return Ok(Line::Stray(at));
            }
            if let Some(end) = newline {
                if end + 1 > limit {
                    self.start += end + 1;
                    return Ok(Line::TooLong);
                }
                let mut line = unread[..end].to_vec();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                self.start += end + 1;
                return Ok(Line::Complete(line));
            }
            scanned = unread.len();
            if scanned >= limit {
                // Keep a tail that may be the beginning of a `Content-Length:` cut by the
                // cap, for the resynchronisation that follows to find.
                self.start += scanned - scanned.min(CONTENT_LENGTH.len() - 1);
                return Ok(Line::TooLong);
            }
            if !self.fill().await? {
                return Ok(Line::End);
            }
        }
    }

    async fn read_body(&mut self, length: usize) -> io::Result<Option<Vec<u8>>> {
        while self.buffer.len() - self.start < length {
            if !self.fill().await? {
                return Ok(None);
            }
        }
        let body = self.buffer[self.start..self.start + length].to_vec();
        self.start += length;
        Ok(Some(body))
    }

    /// Discards input up to the next `Content-Length:`; `false` if the input ends first.
    async fn skip_to_frame_start(&mut self) -> io::Result<bool> {
        let Some(searcher) = FRAME_START.as_ref() else {
            return Ok(false);
        };
        loop {
            let unread = &self.buffer[self.start..];
            if let Some(found) = searcher.find(unread) {
                self.start += found.start();
                return Ok(true);
            }
            // Keep a tail that may be the beginning of a `Content-Length:` cut by the read.
            let keep = unread.len().min(CONTENT_LENGTH.len() - 1);
            self.start += unread.len() - keep;
            if !self.fill().await? {
                return Ok(false);
            }
        }
    }

    /// Reads more input into the buffer; `false` at the end of input.
    async fn fill(&mut self) -> io::Result<bool> {
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        self.buffer.reserve(READ_CHUNK);
        Ok(self.reader.read_buf(&mut self.buffer).await? > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let mut reader = FrameReader::new(input);
            let mut frames = Vec::new();
            while let Some(frame) = reader.next_frame().await.expect("in-memory read") {
                frames.push(frame);
            }
            frames
        })
    }

    fn body(text: &str) -> Frame {
        Frame::Body(text.as_bytes().to_vec())
    }

    #[test]
    fn reads_canonical_frames_in_order() {
        let mut input = encode(b"{\"a\":1}");
        input.extend(encode(b"{}"));
        assert_eq!(frames(&input), vec![body("{\"a\":1}"), body("{}")]);
    }

    #[test]
    fn tolerates_content_type_unknown_headers_case_and_blank_lines() {
        let input = b"\r\ncontent-length: 2\r\nContent-Type: application/vscode-jsonrpc; \
                      charset=utf-8\r\nX-Trace: on\r\n\r\n{}Content-Length:2\n\n[]";
        assert_eq!(frames(input), vec![body("{}"), body("[]")]);
    }

    #[test]
    fn invalid_length_resynchronises_on_the_next_content_length() {
        let mut input = b"Content-Length: abc\r\n\r\n{\"x\":1}".to_vec();
        input.extend(encode(b"{}"));
        assert_eq!(
            frames(&input),
            vec![
                Frame::BadHeader(HeaderError::InvalidLength("abc".into())),
                body("{}")
            ]
        );
    }

    #[test]
    fn missing_length_and_malformed_lines_are_reported() {
        let mut input = b"Content-Type: x\r\n\r\n{}".to_vec();
        input.extend(encode(b"1"));
        assert_eq!(
            frames(&input),
            vec![Frame::BadHeader(HeaderError::MissingLength), body("1")]
        );
        let mut input = b"garbage\r\nContent-Length: 1\r\n\r\n1".to_vec();
        input.extend(encode(b"2"));
        assert_eq!(
            frames(&input),
            vec![
                Frame::BadHeader(HeaderError::MalformedLine("garbage".into())),
                body("2")
            ]
        );
    }

    #[test]
    fn conflicting_lengths_are_reported() {
        let mut input = b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}".to_vec();
        input.extend(encode(b"{}"));
        assert_eq!(
            frames(&input),
            vec![Frame::BadHeader(HeaderError::ConflictingLength), body("{}")]
        );
    }

    #[test]
    fn header_cap_holds_and_reading_goes_on() {
        let mut input = format!("X-Long: {}\r\n\r\n", "a".repeat(MAX_HEADER_BYTES)).into_bytes();
        input.extend(encode(b"{}"));
        assert_eq!(
            frames(&input),
            vec![Frame::BadHeader(HeaderError::HeaderTooLarge), body("{}")]
        );
        // A first line that is itself a huge `Content-Length:` still makes progress.
        let mut input =
            format!("Content-Length: {}", "0".repeat(3 * MAX_HEADER_BYTES)).into_bytes();
        input.extend(b"\r\n\r\n");
        input.extend(encode(b"{}"));
        let read = frames(&input);
        assert_eq!(read.last(), Some(&body("{}")));
        assert!(
            read[..read.len() - 1]
                .iter()
                .all(|frame| matches!(frame, Frame::BadHeader(_)))
        );
    }

    #[test]
    fn body_cap_holds_and_reading_goes_on() {
        let mut input = format!("Content-Length: {}\r\n\r\n{{}}", MAX_BODY_BYTES + 1).into_bytes();
        input.extend(encode(b"{}"));
        assert_eq!(
            frames(&input),
            vec![
                Frame::BadHeader(HeaderError::BodyTooLarge(MAX_BODY_BYTES as u64 + 1)),
                body("{}")
            ]
        );
        let input = b"Content-Length: 99999999999999999999999\r\n\r\n";
        assert!(matches!(
            frames(input).as_slice(),
            [Frame::BadHeader(HeaderError::InvalidLength(_))]
        ));
    }

    #[test]
    fn a_body_cut_short_by_the_end_of_input_ends_reading() {
        let mut input = encode(b"{}");
        input.extend(b"Content-Length: 10\r\n\r\n{\"a\"");
        assert_eq!(frames(&input), vec![body("{}")]);
        assert_eq!(frames(b"Content-Length: 10\r\n"), vec![]);
        assert_eq!(frames(b""), vec![]);
    }

    #[test]
    fn a_truncated_body_loses_only_the_frame_it_swallowed() {
        // The first length promises 30 bytes but 12 are sent: the body takes the start of the
        // second frame, whose tail is glued to the third frame's header. Only the second
        // frame is lost; the third is read.
        let mut input = b"Content-Length: 30\r\n\r\n{\"truncated\"".to_vec();
        input.extend(encode(b"{\"second\":\"frame\"}"));
        input.extend(encode(b"{\"third\":1}"));
        let read = frames(&input);
        assert_eq!(read.len(), 3, "{read:?}");
        assert!(matches!(
            read[1],
            Frame::BadHeader(HeaderError::StrayBytes(_))
        ));
        assert_eq!(read[2], body("{\"third\":1}"));
        // The same when the swallowed tail is longer than the header cap.
        let long = format!("{{\"text\":\"{}\"}}", "x".repeat(3 * MAX_HEADER_BYTES));
        let mut input = b"Content-Length: 30\r\n\r\n{\"truncated\"".to_vec();
        input.extend(encode(long.as_bytes()));
        input.extend(encode(b"{\"third\":1}"));
        assert_eq!(frames(&input).last(), Some(&body("{\"third\":1}")));
    }

    #[test]
    fn resynchronises_across_reads() {
        // A duplex pipe with a tiny buffer makes the reader see the input in small pieces.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let read = runtime.block_on(async {
            let (mut writer, reader) = tokio::io::duplex(5);
            let mut input = b"Content-Length: x\r\n\r\n".to_vec();
            input.extend(vec![b'z'; 100]);
            input.extend(encode(b"{\"big\":\"body\"}"));
            let writing = tokio::spawn(async move {
                use tokio::io::AsyncWriteExt;
                writer.write_all(&input).await.expect("write");
            });
            let mut reader = FrameReader::new(reader);
            let mut frames = Vec::new();
            while let Some(frame) = reader.next_frame().await.expect("read") {
                frames.push(frame);
            }
            writing.await.expect("writer task");
            frames
        });
        assert_eq!(
            read,
            vec![
                Frame::BadHeader(HeaderError::InvalidLength("x".into())),
                body("{\"big\":\"body\"}")
            ]
        );
    }
}
