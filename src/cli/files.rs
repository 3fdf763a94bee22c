//! Files the tool writes (`--output`, `--record`, `rules init`): checked before any traffic,
//! written once at the end of the run, atomically. A run that is interrupted or fails leaves
//! the files of an earlier run as they were.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use super::CliError;

/// A file to write at the end of the run: a temporary file in the same directory, private to
/// the user (0600 on Unix), written and flushed to disk, then renamed over the target. The
/// rename replaces whatever was there, a symbolic link included (never written through), and
/// the new file has mode 0600 whether or not one existed.
#[derive(Debug, Clone)]
pub(super) struct OutputFile {
    path: PathBuf,
}

/// Tells temporary files of one process apart.
static COUNTER: AtomicU32 = AtomicU32::new(0);

impl OutputFile {
    /// Checks now that `path` can be written, creating nothing that stays and changing nothing
    /// that exists: it is not a directory, and its directory takes a new file.
    pub(super) fn prepare(path: &Path) -> Result<Self, CliError> {
        let unusable = |why: String| {
            CliError::usage(anyhow::anyhow!("cannot write {}: {why}", path.display()))
        };
        if path.is_dir() {
            return Err(unusable("it is a directory".into()));
        }
        if path.file_name().is_none() {
            return Err(unusable("it names no file".into()));
        }
        let (file, temp) = create_temp(path).map_err(|e| unusable(e.to_string()))?;
        drop(file);
        let _ = std::fs::remove_file(temp);
        Ok(OutputFile {
            path: path.to_path_buf(),
        })
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes` to the file atomically: temporary file, fsync, rename, fsync of the
    /// directory. On failure the temporary file is removed and the target is untouched.
    pub(super) fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        let (mut file, temp) = create_temp(&self.path)?;
        let written = file
            .write_all(bytes)
            .and_then(|()| file.sync_all())
            .and_then(|()| {
                drop(file);
                std::fs::rename(&temp, &self.path)
            });
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
        // The rename itself reaches the disk with the directory.
        if let Ok(dir) = std::fs::File::open(directory(&self.path)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// The directory a path's file is in (`.` for a bare name).
fn directory(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A new, private file beside `path`: `.NAME.hibob-audit-PID-N.tmp`, never an existing one.
fn create_temp(path: &Path) -> std::io::Result<(std::fs::File, PathBuf)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = directory(path).join(format!(
            ".{name}.hibob-audit-{}-{n}.tmp",
            std::process::id()
        ));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&temp) {
            Ok(file) => return Ok((file, temp)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Where a path leads, to tell whether two name the same file: the file itself where it
/// exists (links resolved), else its resolved directory and its name.
fn identity(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let dir = std::fs::canonicalize(directory(path)).unwrap_or_else(|_| directory(path).into());
    match path.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    }
}

/// Refuses two outputs that lead to the same file: they would overwrite each other.
/// `files` pairs each path with the flag that named it.
pub(super) fn ensure_distinct(files: &[(String, &Path)]) -> Result<(), CliError> {
    let ids: Vec<PathBuf> = files.iter().map(|(_, p)| identity(p)).collect();
    for (i, id) in ids.iter().enumerate() {
        if let Some(j) = ids[..i].iter().position(|other| other == id) {
            return Err(CliError::usage(anyhow::anyhow!(
                "{} and {} name the same file ({}): give each output its own path",
                files[j].0,
                files[i].0,
                files[i].1.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_replaces_the_file_and_leaves_no_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old").unwrap();
        let out = OutputFile::prepare(&path).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "old",
            "prepare changes nothing"
        );
        out.write(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }

    #[test]
    fn the_same_file_twice_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("r");
        let b = dir.path().join(".").join("r");
        let c = dir.path().join("s");
        assert!(ensure_distinct(&[("x".into(), &a), ("y".into(), &c)]).is_ok());
        let err = ensure_distinct(&[("--output json=r".into(), &a), ("--record".into(), &b)])
            .unwrap_err();
        assert!(
            err.error
                .to_string()
                .contains("--output json=r and --record"),
            "{:#}",
            err.error
        );
    }
}
