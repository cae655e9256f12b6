import streamlit as st
st.title("teaching")
