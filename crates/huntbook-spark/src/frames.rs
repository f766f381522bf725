//! Frames across the wire: Spark's Arrow results into polars through Arrow IPC bytes (so the
//! client's arrow version and ours never meet), and small polars frames into Spark rows.

use std::io::Cursor;

use arrow::ipc::writer::StreamWriter;
use arrow::record_batch::RecordBatch;
use polars::prelude::{Column, DataFrame, DataType as PlType, PlSmallStr};
use polars_io::ipc::IpcStreamReader;
use polars_io::SerReader;
use spark_connect::row::{Row, Value};
use spark_connect::types::{DataType as SparkType, StructField};

/// Arrow batches (one schema) as one polars frame, through one Arrow IPC stream.
pub(crate) fn batches_to_frame(batches: &[RecordBatch]) -> Result<DataFrame, String> {
    let Some(first) = batches.first() else {
        return Err("the server sent no Arrow batch, not even an empty one".into());
    };
    let mut bytes = Vec::new();
    {
        let mut writer =
            StreamWriter::try_new(&mut bytes, &first.schema()).map_err(|e| e.to_string())?;
        for batch in batches {
            writer.write(batch).map_err(|e| e.to_string())?;
        }
        writer.finish().map_err(|e| e.to_string())?;
    }
    IpcStreamReader::new(Cursor::new(bytes))
        .finish()
        .map_err(|e| e.to_string())
}

/// An empty frame with the columns of a Spark schema, for a result that came without any
/// Arrow batch. Types polars has no direct twin for become strings.
pub(crate) fn empty_frame(schema: &SparkType) -> Result<DataFrame, String> {
    let SparkType::Struct { fields } = schema else {
        return Err(format!("the result schema is not a struct: {schema:?}"));
    };
    let columns = fields
        .iter()
        .map(|field| {
            let dtype = match &field.data_type {
                SparkType::Boolean => PlType::Boolean,
                SparkType::Byte => PlType::Int8,
                SparkType::Short => PlType::Int16,
                SparkType::Integer => PlType::Int32,
                SparkType::Long => PlType::Int64,
                SparkType::Float => PlType::Float32,
                SparkType::Double => PlType::Float64,
                SparkType::Null => PlType::Null,
                _ => PlType::String,
            };
            Column::new_empty(PlSmallStr::from(field.name.as_str()), &dtype)
        })
        .collect();
    DataFrame::new(0, columns).map_err(|e| e.to_string())
}

/// Why a column could not be sent: its name and its type as polars writes it.
pub(crate) struct Unsupported {
    pub column: String,
    pub dtype: String,
}

/// A polars frame as Spark rows and the Spark schema to send them with. Integers go as
/// `bigint`, floats as `double`, text as `string` (with the default collation named: an
/// empty one is serialised wrongly by the client).
pub(crate) fn frame_to_rows(frame: &DataFrame) -> Result<(Vec<Row>, SparkType), Unsupported> {
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|name| name.to_string())
        .collect();
    let mut fields = Vec::with_capacity(frame.width());
    let mut columns: Vec<Vec<Value>> = Vec::with_capacity(frame.width());
    for column in frame.columns() {
        let unsupported = || Unsupported {
            column: column.name().to_string(),
            dtype: column.dtype().to_string(),
        };
        let series = column.as_materialized_series();
        let (data_type, values): (SparkType, Vec<Value>) = match series.dtype() {
            PlType::Boolean => (
                SparkType::Boolean,
                series
                    .bool()
                    .map_err(|_| unsupported())?
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::Bool))
                    .collect(),
            ),
            dtype if dtype.is_integer() => {
                let ints = series
                    .strict_cast(&PlType::Int64)
                    .map_err(|_| unsupported())?;
                let values = ints
                    .i64()
                    .map_err(|_| unsupported())?
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::Long))
                    .collect();
                (SparkType::Long, values)
            }
            dtype if dtype.is_float() => {
                let floats = series.cast(&PlType::Float64).map_err(|_| unsupported())?;
                let values = floats
                    .f64()
                    .map_err(|_| unsupported())?
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::Double))
                    .collect();
                (SparkType::Double, values)
            }
            PlType::String => (
                SparkType::String {
                    collation: "UTF8_BINARY".into(),
                },
                series
                    .str()
                    .map_err(|_| unsupported())?
                    .iter()
                    .map(|v| v.map_or(Value::Null, |s| Value::String(s.to_string())))
                    .collect(),
            ),
            PlType::Null => (SparkType::Null, vec![Value::Null; series.len()]),
            _ => return Err(unsupported()),
        };
        fields.push(StructField {
            name: column.name().to_string(),
            data_type,
            nullable: true,
            metadata: Default::default(),
        });
        columns.push(values);
    }
    let rows = (0..frame.height())
        .map(|i| {
            Row::new(
                names.clone(),
                columns.iter().map(|values| values[i].clone()).collect(),
            )
        })
        .collect();
    Ok((rows, SparkType::Struct { fields }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{ArrayRef, Int64Array, StringArray};
    use polars::prelude::*;
    use std::sync::Arc;

    #[test]
    fn batches_become_one_frame_with_nulls_kept() {
        let batch = |ids: Vec<Option<i64>>, names: Vec<Option<&str>>| {
            RecordBatch::try_from_iter(vec![
                ("EventID", Arc::new(Int64Array::from(ids)) as ArrayRef),
                ("Image", Arc::new(StringArray::from(names)) as ArrayRef),
            ])
            .unwrap()
        };
        let frame = batches_to_frame(&[
            batch(vec![Some(1), None], vec![Some("a.exe"), Some("b.exe")]),
            batch(vec![Some(3)], vec![None]),
        ])
        .unwrap();
        assert_eq!(frame.shape(), (3, 2));
        assert_eq!(frame.column("EventID").unwrap().dtype(), &DataType::Int64);
        assert_eq!(frame.column("EventID").unwrap().null_count(), 1);
        assert_eq!(frame.column("Image").unwrap().null_count(), 1);
        assert_eq!(
            frame.column("Image").unwrap().str().unwrap().get(1),
            Some("b.exe")
        );
    }

    #[test]
    fn no_batch_is_an_error_not_an_empty_guess() {
        assert!(batches_to_frame(&[]).is_err());
    }

    #[test]
    fn empty_frame_keeps_names_and_types() {
        let schema = SparkType::Struct {
            fields: vec![
                StructField {
                    name: "EventID".into(),
                    data_type: SparkType::Long,
                    nullable: true,
                    metadata: Default::default(),
                },
                StructField {
                    name: "when".into(),
                    data_type: SparkType::Timestamp,
                    nullable: true,
                    metadata: Default::default(),
                },
            ],
        };
        let frame = empty_frame(&schema).unwrap();
        assert_eq!(frame.height(), 0);
        assert_eq!(
            frame.dtypes(),
            vec![DataType::Int64, DataType::String],
            "{frame}"
        );
    }

    #[test]
    fn frame_rows_carry_types_and_nulls() {
        let frame = df![
            "right" => ["PROCESS_VM_WRITE", "PROCESS_VM_READ"],
            "bit" => [Some(0x20u32), None],
            "weight" => [0.5f32, 1.0],
            "needed" => [Some(true), None],
        ]
        .unwrap();
        let (rows, schema) = frame_to_rows(&frame).ok().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].get(0),
            Some(&Value::String("PROCESS_VM_WRITE".into()))
        );
        assert_eq!(rows[0].get(1), Some(&Value::Long(0x20)));
        assert_eq!(rows[1].get(1), Some(&Value::Null));
        assert_eq!(rows[0].get(2), Some(&Value::Double(0.5)));
        assert_eq!(rows[1].get(3), Some(&Value::Null));
        let SparkType::Struct { fields } = schema else {
            panic!("not a struct")
        };
        let types: Vec<_> = fields.iter().map(|f| f.data_type.clone()).collect();
        assert_eq!(
            types,
            vec![
                SparkType::String {
                    collation: "UTF8_BINARY".into()
                },
                SparkType::Long,
                SparkType::Double,
                SparkType::Boolean
            ]
        );
    }

    #[test]
    fn unsupported_columns_are_named() {
        let frame = df!["tags" => [Series::new("".into(), ["a", "b"])]].unwrap();
        let error = frame_to_rows(&frame).err().unwrap();
        assert_eq!(error.column, "tags");
        assert!(error.dtype.contains("list"), "{}", error.dtype);
    }
}
